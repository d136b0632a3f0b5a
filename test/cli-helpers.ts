// Runs the `gitops` command line in-process and captures what it prints, for the CLI tests.
import { main } from '../scripts/cli/main.ts';

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
