// The ApplicationSet's default template syntax, as Argo CD runs it (applicationset/utils/utils.go
// Render.Replace with valyala/fasttemplate): a string is templated only when one of its lines holds
// `{{...}}`; then every `{{tag}}` whose trimmed text names a *string* parameter is replaced, and any
// other tag (an unknown key, or a parameter that is a number, list or map: elementsYaml values) is
// written back as it was. A `{{` with no `}}` after it is an error ("Cannot find end tag").
import type { Params } from './generators.ts';
import { hasEnclosed } from '../safe/text.ts';

// Go's isTemplatedRegex `.*{{.*}}.*`: Go's `.` stops at "\n" only. `/\{\{[^\n]*\}\}/`, in linear time.
const isTemplated = (text: string) => hasEnclosed(text, '{{', '}}', (code) => code === 0x0a);

export class FastTemplateError extends Error {}

/** `charge` is told the length of every piece written, before it is appended (the expansion budget). */
export function renderFastTemplate(text: string, params: Params, charge?: (chars: number) => void): string {
  if (!isTemplated(text)) return text;
  const pieces: string[] = [];
  const write = (piece: string) => {
    charge?.(piece.length);
    pieces.push(piece);
  };
  let position = 0;
  for (;;) {
    const start = text.indexOf('{{', position);
    if (start < 0) {
      write(text.slice(position));
      return pieces.join('');
    }
    write(text.slice(position, start));
    const end = text.indexOf('}}', start + 2);
    if (end < 0) throw new FastTemplateError('invalid template: a "{{" has no "}}" after it');
    const tag = text.slice(start + 2, end);
    position = end + 2;
    write(fastTemplateValue(params, tag) ?? `{{${tag}}}`);
  }
}

/** The string a tag is replaced with, or undefined when fasttemplate keeps the tag. */
export function fastTemplateValue(params: Params, tag: string): string | undefined {
  const key = tag.trim();
  if (key === '' || !Object.prototype.hasOwnProperty.call(params, key)) return undefined;
  const value = params[key];
  return typeof value === 'string' ? value : undefined;
}
