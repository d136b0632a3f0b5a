// The process around `main`: the one module bin/gitops.js starts (from the TypeScript in a checkout,
// from dist/gitops.js in the package). It owns what only a process has: argv, the exit code, and
// what happens when the reader of our output goes away.
import nodeModule from 'node:module';
import { userCacheDir } from '../safe/cache-dir.ts';
import { main } from './main.ts';

/**
 * Node 22.1+ keeps V8's compiled code of the modules loaded from here on (each command's chunks, which
 * is most of the tool) in a folder, so the next start does not compile them again: 0.21 to 0.15 s for a
 * small validate on Node 22 (docs/architecture.md, "Start-up"). The folder is the per-user cache
 * (`<cache>/compile`, 0700, owned by this user, never the checkout or a shared temporary folder): code
 * there is run, so only this user may write it. Node 20 has no compile cache: nothing happens.
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off, as for any Node program.
 */
export function enableCompileCache(): void {
  const enable = (nodeModule as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (!enable || process.env.NODE_DISABLE_COMPILE_CACHE !== undefined) return; // set at all: off, as in Node
  const dir = userCacheDir('compile');
  if (dir) enable(dir);
}

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

enableCompileCache();
quietOnClosedPipe(process.stdout);
quietOnClosedPipe(process.stderr);
process.exitCode = await main(process.argv.slice(2));
