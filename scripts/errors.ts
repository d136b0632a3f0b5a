// Errors that end a run with exit code 2 and one clear line (no stack trace unless --debug).

import { appendAll } from './lists.ts';

/** Bad command-line usage. */
export class UsageError extends Error {}

/** Bad input a person must fix: says the file, the line and what to do. */
export class InputError extends Error {
  /** The other problems found in the same pass (a config's schema errors are reported all at once). */
  readonly others: InputError[] = [];

  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }

  /** One error for several problems, in the order given: the first is the message, all are printed. */
  static all(problems: InputError[]): InputError {
    const [first, ...rest] = problems;
    appendAll(first.others, rest);
    return first;
  }

  /** "gitops.yaml:12:5: message", one line per problem when there are several. */
  format(): string {
    return [this, ...this.others].map((problem) => `${problem.where()}${problem.message}`).join('\n');
  }

  private where(): string {
    return this.file ? `${this.file}${this.line ? `:${this.line}${this.column ? `:${this.column}` : ''}` : ''}: ` : '';
  }
}
