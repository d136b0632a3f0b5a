// Runs the `gitops` command line in this process (main() with console output captured): the same
// code as bin/gitops.js without a node and tsx start per call. One spawned run in test/cli.test.ts
// keeps the bin itself covered.
import { main } from '../../scripts/cli/main.ts';
import { runValidate } from '../../scripts/cli/validate.ts';
import { InputError, UsageError } from '../../scripts/errors.ts';

export async function gitopsInProcess(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const log = console.log;
  const error = console.error;
  // Only console: process.stdout carries the test runner's own report.
  console.log = (...parts: unknown[]) => void (stdout += `${parts.join(' ')}\n`);
  console.error = (...parts: unknown[]) => void (stderr += `${parts.join(' ')}\n`);
  try {
    const status = await main(args);
    return { status, stdout, stderr };
  } finally {
    console.log = log;
    console.error = error;
  }
}

/** `gitops validate <args>` in this process, its report captured: what main() does, errors as exit 2. */
export async function validateInProcess(
  ...args: string[]
): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const error = console.error;
  console.error = (...parts: unknown[]) => void (stderr += `${parts.join(' ')}\n`);
  try {
    const status = await runValidate(args, { stdout: { write: (text: string) => (stdout += text) }, env: {} });
    return { status, stdout, stderr };
  } catch (caught) {
    if (caught instanceof InputError)
      return { status: 2, stdout, stderr: `${stderr}gitops validate: ${caught.format()}\n` };
    if (caught instanceof UsageError)
      return { status: 2, stdout, stderr: `${stderr}gitops validate: ${caught.message}\n` };
    throw caught;
  } finally {
    console.error = error;
  }
}
