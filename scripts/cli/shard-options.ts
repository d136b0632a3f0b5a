// The options of a shard's run as its report records them, so merge-shards can check that the
// shards are one run and replay it: what decides the findings, with paths relative to the
// repository's top (the same on every machine of a CI matrix).
import { relative, resolve, sep } from 'node:path';

/** Options that only say where and how the report is shown: shards may differ in them. */
const PRESENTATION = new Set([
  'format',
  'output',
  'shard',
  'no-color',
  'no-annotations',
  'no-step-summary',
  'verbose',
  'timing',
  'no-cache',
]);
/** Options whose value is a path (a schema location may also be a URL template, kept as it is). */
const PATH_OPTIONS = new Set(['config', 'baseline', 'schema-location', 'plugin']);

const isUrl = (value: string) => /^[a-z]+:\/\//i.test(value);

/**
 * validate's deciding options in command-line order, as `--name=value`; paths relative to `root`
 * (one outside it stays absolute), the folder `.` when none was given.
 */
export function decidingArgs(
  tokens: readonly { kind: string; name?: string; value?: string }[],
  root: string,
  base: string,
): string[] {
  const fromRoot = (path: string) => {
    const absolute = resolve(base, path);
    const rel = relative(root, absolute);
    if (rel === '..' || rel.startsWith(`..${sep}`) || resolve(rel) === rel) return absolute;
    return (rel || '.').split(sep).join('/');
  };
  const args: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') args.push(token.value === '-' ? '-' : fromRoot(token.value ?? '.'));
    if (token.kind !== 'option' || !token.name || PRESENTATION.has(token.name)) continue;
    if (token.value === undefined) args.push(`--${token.name}`);
    else if (PATH_OPTIONS.has(token.name) && !isUrl(token.value)) args.push(`--${token.name}=${fromRoot(token.value)}`);
    else args.push(`--${token.name}=${token.value}`);
  }
  if (!tokens.some((token) => token.kind === 'positional')) args.unshift(fromRoot('.'));
  return args;
}

/** Whether a validate command line asks for a shard (before it is parsed: the shard's render folder is made first). */
export function asksForShard(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((arg) => arg === '--shard' || arg.startsWith('--shard='));
}

/**
 * The options only the person running the tool may give (they run code or reach the network): a
 * report cannot hand them to merge-shards, which must be given them itself.
 */
export function trustedArgs(args: readonly string[]): string[] {
  return args.filter((arg) => /^--(plugin|schema-location)=/.test(arg) || arg === '--allow-plugins');
}
