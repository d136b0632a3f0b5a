// What `set-image` and `promote` change, whichever file owns it: a value of one service in one
// environment, with what it is now and what it becomes (for the diff, the PR summary and the check that
// the edit did what it says).

export type Field = 'image' | 'replicas' | 'resources' | 'config';
export const FIELDS: Field[] = ['image', 'replicas', 'resources', 'config'];

/** An image as an environment runs it: a tag, or a digest that pins it. */
export interface ImageRef {
  tag?: string;
  digest?: string;
}

export interface Change {
  service: string;
  env: string;
  field: Field;
  /** For config: the key. */
  key?: string;
  /** What the environment runs now, as a person reads it. */
  from: string;
  to: string;
  /** The value written: an ImageRef, {min, max}, resources, or a config value. */
  value: unknown;
}

export function describeImage(image: ImageRef): string {
  return image.digest ?? image.tag ?? '(none)';
}

export function sameImage(a: ImageRef, b: ImageRef): boolean {
  return a.digest !== undefined || b.digest !== undefined ? a.digest === b.digest : a.tag === b.tag;
}

/** What a change is called in the summary: `image`, `replicas`, `config LOG_LEVEL`. */
export function changeLabel(change: Change): string {
  return change.key ? `${change.field} ${change.key}` : change.field;
}

/** The Markdown a pull request description needs: what changes, per service, from what to what. */
export function summary(title: string, changes: Change[]): string {
  if (changes.length === 0) return `${title}\n\nNothing to change.\n`;
  const cell = (text: string) => `\`${text.replace(/`/g, "'")}\``;
  const rows = changes.map(
    (change) =>
      `| ${change.service} | ${change.env} | ${changeLabel(change)} | ${cell(change.from)} | ${cell(change.to)} |`,
  );
  return [
    title,
    '',
    '| service | environment | what | from | to |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
