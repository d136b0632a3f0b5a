// How strings a run keeps are stored. V8 keeps a string built by `+` or a template as a tree of its
// pieces (a cons string: 32 bytes a node, plus each piece), several times its text; reading one
// character flattens it into one string, and the garbage collector then drops the tree. Used for what
// a run holds 100,000s of: findings' messages, discovered file paths, parsed values.

/** `text`, flattened (see above). */
export function flatString(text: string): string {
  text.charCodeAt(0);
  return text;
}

/**
 * One copy of each string it is given, while it remembers it: a run holds 100,000s of values and
 * messages that repeat. It remembers at most `capacity` strings and then starts again, so what it
 * holds stays small whatever a run reads (a string that repeats is caught again at once).
 */
export class StringTable {
  private strings = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  /** The copy of `text` the table holds, or `text` itself, flattened, which it holds from now on. */
  own(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    if (this.strings.size >= this.capacity) this.strings = new Map();
    const own = flatString(text);
    this.strings.set(own, own);
    return own;
  }
}
