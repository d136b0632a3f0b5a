// One way every command reads its command line: node:util's parseArgs (long and short options,
// --name=value, `--` ends the options, `-` is a positional for stdin), with its errors turned into a
// UsageError in plain words that suggests the closest option: main prints it with the command's usage.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';
import { closestNames } from '../suggest.ts';

export type ParsedCommandLine<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

export function parseCommandLine<const T extends ParseArgsConfig>(config: T): ParsedCommandLine<T> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(usageMessage(error as Error & { code?: string }, config));
  }
}

/** Every spelling an option has: `--format`, `-f`. */
export function optionSpellings(config: ParseArgsConfig): string[] {
  return Object.entries(config.options ?? {}).flatMap(([name, option]) => [
    `--${name}`,
    ...(option.short ? [`-${option.short}`] : []),
  ]);
}

function usageMessage(error: Error & { code?: string }, config: ParseArgsConfig): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return unknownOption(quoted, config);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${quoted}": this command takes options only`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      // "'-f, --format <value>' argument missing", "'--quiet' does not take an argument",
      // "'--format' argument is ambiguous" (the next word starts with a dash).
      const option = /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
      if (/does not take an argument/.test(error.message)) return `${option} takes no value`;
      if (/ambiguous/.test(error.message))
        return `${option} needs a value, and the next word starts with "-": write ${option}=<value> if it is the value`;
      return `${option} needs a value`;
    }
    default:
      return error.message;
  }
}

function unknownOption(typed: string, config: ParseArgsConfig): string {
  const spellings = optionSpellings(config);
  // A short flag is one letter: suggest among long names only, where a typo has room to be a typo.
  const longNames = spellings.filter((spelling) => spelling.startsWith('--'));
  const suggestions = typed.startsWith('--')
    ? closestNames(typed, longNames, { max: 2, maxDistance: (name) => Math.max(2, Math.floor(name.length / 4)) })
    : [];
  const hint = suggestions.length ? ` (did you mean ${suggestions.join(' or ')}?)` : '';
  return `unknown option ${typed}${hint}`;
}
