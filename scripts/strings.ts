// How strings a run keeps are stored. V8 keeps a string built by `+` or a template as a tree of its
// pieces (a cons string: 32 bytes a node, plus each piece), several times its text; reading one
// character flattens it into one string, and the garbage collector then drops the tree. Used for what
// a run holds 100,000s of: findings' messages, discovered file paths.

/** `text`, flattened (see above). */
export function flatString(text: string): string {
  text.charCodeAt(0);
  return text;
}
