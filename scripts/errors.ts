// Errors that end a run with exit code 2 and one clear line (no stack trace unless --debug).

/** Bad command-line usage. */
export class UsageError extends Error {}

/** Bad input a person must fix: says the file, the line and what to do. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }

  /** "gitops.yaml:12:5: message" */
  format(): string {
    const where = this.file
      ? `${this.file}${this.line ? `:${this.line}${this.column ? `:${this.column}` : ''}` : ''}: `
      : '';
    return `${where}${this.message}`;
  }
}
