// The process around `main`: the one module bin/gitops.js starts (from the TypeScript in a checkout,
// from dist/gitops.js in the package). It owns what only a process has: argv, the exit code, and
// what happens when the reader of our output goes away.
import { main } from './main.ts';

/**
 * `gitops validate | head -1`: once the reader has closed the pipe, writing to it fails with EPIPE.
 * That is the reader's choice, not our fault: stop writing, stay quiet, and keep the run's exit code.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      stream.destroy();
      return;
    }
    throw error;
  });
}

quietOnClosedPipe(process.stdout);
quietOnClosedPipe(process.stderr);
process.exitCode = await main(process.argv.slice(2));
