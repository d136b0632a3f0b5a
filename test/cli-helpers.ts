// Runs the `gitops` command line in-process and captures what it prints, for the CLI tests.
import { main } from '../scripts/cli/main.ts';
import { runValidate } from '../scripts/cli/validate.ts';
import { InputError, UsageError } from '../scripts/errors.ts';

export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { log: console.log, error: console.error };
  console.log = (...parts: unknown[]) => out.push(parts.join(' '));
  console.error = (...parts: unknown[]) => err.push(parts.join(' '));
  try {
    return { code: await main(args), stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    console.log = saved.log;
    console.error = saved.error;
  }
}

/**
 * `gitops validate <args>` in-process with its report captured (validate writes to its own stdout, not
 * console): main()'s mapping of bad input and usage to exit 2 included.
 */
export async function validateInProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  const err: string[] = [];
  const error = console.error;
  console.error = (...parts: unknown[]) => err.push(parts.join(' '));
  try {
    const code = await runValidate(args, { stdout: { write: (text: string) => (stdout += text) }, env: {} });
    return { code, stdout, stderr: err.join('\n') };
  } catch (caught) {
    if (caught instanceof InputError)
      return { code: 2, stdout, stderr: [...err, `gitops validate: ${caught.format()}`].join('\n') };
    if (caught instanceof UsageError)
      return { code: 2, stdout, stderr: [...err, `gitops validate: ${caught.message}`].join('\n') };
    throw caught;
  } finally {
    console.error = error;
  }
}
