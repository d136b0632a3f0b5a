// Parser for the subset of Go's text/template that ApplicationSet templates use. It follows Go's
// grammar (actions, pipelines, if/else if/range/with, variables, parenthesised sub-pipelines,
// trim markers, comments) so a template that parses here parses in Argo CD, and the other way round
// for everything but `define`/`template`/`block`, which ApplicationSets have no use for.

import { appendAll } from '../../lists.ts';
import { trimEndSpace } from '../../safe/text.ts';

export class TemplateError extends Error {}

export type Arg =
  | { type: 'field'; names: string[] } // .a.b ; names empty for `.`
  | { type: 'variable'; name: string; names: string[] } // $x.a ; name "$" is the root
  | { type: 'chain'; base: Arg; names: string[] } // (pipeline).a
  | { type: 'identifier'; name: string } // a function
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'nil' }
  | { type: 'pipeline'; pipeline: Pipeline };

export interface Command {
  args: Arg[];
}

export interface Pipeline {
  /** Variables declared (`$x :=`) or assigned (`$x =`) by this pipeline. */
  decl: string[];
  assign: boolean;
  commands: Command[];
}

export type Node =
  | { type: 'text'; text: string }
  | { type: 'action'; pipeline: Pipeline }
  | { type: 'if' | 'with' | 'range'; pipeline: Pipeline; list: Node[]; elseList?: Node[] }
  | { type: 'break' | 'continue' };

// ---------------------------------------------------------------- lexing

type Token = { kind: 'text'; value: string } | { kind: 'action'; items: Item[] };

type Item =
  | { kind: 'field'; value: string; attached: boolean } // ".a" (one segment); attached: no space before it
  | { kind: 'dot' }
  | { kind: 'variable'; value: string } // "$x" or "$"
  | { kind: 'identifier'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'char'; value: '|' | '(' | ')' | ',' | ':=' | '=' };

/** Splits a template into text and actions, applying `{{-` and `-}}` trim markers and dropping comments. */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let trimNextText = false;
  while (pos < source.length) {
    const open = source.indexOf('{{', pos);
    let text = open < 0 ? source.slice(pos) : source.slice(pos, open);
    if (trimNextText) text = text.replace(/^\s+/, '');
    if (open < 0) {
      if (text) tokens.push({ kind: 'text', value: text });
      break;
    }
    let start = open + 2;
    if (/^-[ \t\r\n]/.test(source.slice(start, start + 2))) {
      text = trimEndSpace(text);
      start += 1;
    }
    if (text) tokens.push({ kind: 'text', value: text });
    const { items, end, trimRight } = lexAction(source, start);
    trimNextText = trimRight;
    if (items !== null) tokens.push({ kind: 'action', items });
    pos = end;
  }
  return tokens;
}

function lexAction(source: string, start: number): { items: Item[] | null; end: number; trimRight: boolean } {
  const items: Item[] = [];
  let pos = start;
  const atClose = (): { trim: boolean; length: number } | undefined => {
    if (source.startsWith('}}', pos)) return { trim: false, length: 2 };
    if (/^[ \t\r\n]-}}/.test(source.slice(pos, pos + 4))) return { trim: true, length: 4 };
    return undefined;
  };
  // A comment fills the whole action: {{/* ... */}}
  const afterSpace = source.slice(pos).match(/^\s*/)![0].length;
  if (source.startsWith('/*', pos + afterSpace)) {
    const close = source.indexOf('*/', pos + afterSpace + 2);
    if (close < 0) throw new TemplateError('unclosed comment');
    pos = close + 2;
    const closeAt = atClose();
    if (!closeAt) throw new TemplateError('comment ends before closing delimiter');
    return { items: null, end: pos + closeAt.length, trimRight: closeAt.trim };
  }
  for (;;) {
    const closeAt = atClose();
    if (closeAt) return { items, end: pos + closeAt.length, trimRight: closeAt.trim };
    if (pos >= source.length) throw new TemplateError('unclosed action');
    const ch = source[pos];
    if (/\s/.test(ch)) {
      pos++;
      continue;
    }
    if (ch === '"') {
      let end = pos + 1;
      while (end < source.length && source[end] !== '"') {
        if (source[end] === '\\') end++;
        if (source[end] === '\n') throw new TemplateError('unterminated quoted string');
        end++;
      }
      if (end >= source.length) throw new TemplateError('unterminated quoted string');
      items.push({ kind: 'string', value: JSON.parse(source.slice(pos, end + 1).replace(/\\'/g, "'")) as string });
      pos = end + 1;
      continue;
    }
    if (ch === '`') {
      const end = source.indexOf('`', pos + 1);
      if (end < 0) throw new TemplateError('unterminated raw quoted string');
      items.push({ kind: 'string', value: source.slice(pos + 1, end) });
      pos = end + 1;
      continue;
    }
    if (ch === ':' && source[pos + 1] === '=') {
      items.push({ kind: 'char', value: ':=' });
      pos += 2;
      continue;
    }
    if ('|(),='.includes(ch)) {
      items.push({ kind: 'char', value: ch as '|' });
      pos++;
      continue;
    }
    if (ch === '.' && !/[0-9]/.test(source[pos + 1] ?? '')) {
      const match = source.slice(pos + 1).match(/^[A-Za-z_][A-Za-z0-9_]*/);
      if (match) {
        items.push({
          kind: 'field',
          value: match[0],
          attached: pos > start && !/\s/.test(source[pos - 1]) && items.length > 0,
        });
        pos += 1 + match[0].length;
      } else {
        items.push({ kind: 'dot' });
        pos++;
      }
      continue;
    }
    if (ch === '$') {
      const match = source.slice(pos + 1).match(/^[A-Za-z0-9_]*/)!;
      items.push({ kind: 'variable', value: `$${match[0]}` });
      pos += 1 + match[0].length;
      continue;
    }
    const number = source.slice(pos).match(/^[-+]?(0[xX][0-9a-fA-F]+|[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|\.[0-9]+)/);
    if (number && (ch !== '-' && ch !== '+' ? true : /[0-9.]/.test(source[pos + 1] ?? ''))) {
      items.push({ kind: 'number', value: Number(number[0]) });
      pos += number[0].length;
      continue;
    }
    const word = source.slice(pos).match(/^[A-Za-z_][A-Za-z0-9_]*/);
    if (word) {
      items.push({ kind: 'identifier', value: word[0] });
      pos += word[0].length;
      continue;
    }
    throw new TemplateError(`unexpected "${ch}" in action`);
  }
}

// ---------------------------------------------------------------- parsing

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'break', 'continue', 'define', 'template', 'block']);

/** Parses a template into a node list. Throws TemplateError with Go-like messages on bad syntax. */
export function parseTemplate(source: string): Node[] {
  const tokens = tokenize(source);
  let index = 0;

  // rangeDepth: how many {{range}} bodies enclose the list; Go refuses {{break}} and {{continue}} outside one.
  function parseList(depth: number, rangeDepth: number): { nodes: Node[]; stop?: 'end' | 'else'; elseItems?: Item[] } {
    const nodes: Node[] = [];
    while (index < tokens.length) {
      const token = tokens[index++];
      if (token.kind === 'text') {
        nodes.push({ type: 'text', text: token.value });
        continue;
      }
      const items = token.items;
      const head = items[0];
      if (head?.kind === 'identifier' && KEYWORDS.has(head.value)) {
        switch (head.value) {
          case 'end':
            if (depth === 0) throw new TemplateError('unexpected {{end}}');
            return { nodes, stop: 'end' };
          case 'else':
            if (depth === 0) throw new TemplateError('unexpected {{else}}');
            return { nodes, stop: 'else', elseItems: items.slice(1) };
          case 'if':
          case 'with':
          case 'range':
            nodes.push(parseBranch(head.value, items.slice(1), depth, rangeDepth));
            continue;
          case 'break':
          case 'continue':
            if (rangeDepth === 0) throw new TemplateError(`{{${head.value}}} outside {{range}}`);
            nodes.push({ type: head.value });
            continue;
          default:
            throw new TemplateError(`{{${head.value}}} is not supported in ApplicationSet templates`);
        }
      }
      nodes.push({ type: 'action', pipeline: parsePipeline(items, false) });
    }
    if (depth > 0) throw new TemplateError('unexpected EOF: missing {{end}}');
    return { nodes };
  }

  function parseBranch(type: 'if' | 'with' | 'range', items: Item[], depth: number, rangeDepth: number): Node {
    const pipeline = parsePipeline(items, type === 'range');
    if (pipeline.commands.length === 0) throw new TemplateError(`missing value for ${type}`);
    const body = parseList(depth + 1, type === 'range' ? rangeDepth + 1 : rangeDepth);
    let elseList: Node[] | undefined;
    if (body.stop === 'else') {
      const elseItems = body.elseItems ?? [];
      if (
        elseItems.length > 0 &&
        elseItems[0].kind === 'identifier' &&
        (elseItems[0].value === 'if' || elseItems[0].value === 'with')
      ) {
        // {{else if x}} is {{else}}{{if x}}...{{end}} sharing the outer {{end}}.
        elseList = [parseBranch(elseItems[0].value as 'if', elseItems.slice(1), depth, rangeDepth)];
      } else {
        if (elseItems.length > 0) throw new TemplateError('unexpected tokens after {{else}}');
        const rest = parseList(depth + 1, rangeDepth);
        if (rest.stop !== 'end') throw new TemplateError(`expected {{end}} after {{else}} in ${type}`);
        elseList = rest.nodes;
      }
    }
    return { type, pipeline, list: body.nodes, ...(elseList ? { elseList } : {}) };
  }

  return parseList(0, 0).nodes;
}

function parsePipeline(items: Item[], allowTwoVariables: boolean): Pipeline {
  let pos = 0;
  const decl: string[] = [];
  let assign = false;
  // Declarations: $x := ... ; $i, $v := ... (range only)
  const lookahead = (): boolean => {
    let probe = 0;
    const names: string[] = [];
    for (;;) {
      const item = items[probe];
      if (item?.kind !== 'variable') return false;
      names.push(item.value);
      const next = items[probe + 1];
      if (next?.kind === 'char' && (next.value === ':=' || next.value === '=')) {
        appendAll(decl, names);
        assign = next.value === '=';
        pos = probe + 2;
        return true;
      }
      if (next?.kind === 'char' && next.value === ',' && allowTwoVariables && names.length === 1) {
        probe += 2;
        continue;
      }
      return false;
    }
  };
  lookahead();
  const commands: Command[] = [];
  let args: Arg[] = [];
  const finishCommand = () => {
    if (args.length === 0) throw new TemplateError('missing command in pipeline');
    commands.push({ args });
    args = [];
  };
  while (pos < items.length) {
    const item = items[pos];
    if (item.kind === 'char' && item.value === '|') {
      finishCommand();
      pos++;
      continue;
    }
    const [arg, next] = parseOperand(items, pos);
    args.push(arg);
    pos = next;
  }
  if (args.length > 0 || commands.length > 0) finishCommand();
  return { decl, assign, commands };
}

function parseOperand(items: Item[], pos: number): [Arg, number] {
  const item = items[pos];
  let arg: Arg;
  let next = pos + 1;
  switch (item.kind) {
    case 'field': {
      const names = [item.value];
      while (isAttachedField(items[next])) names.push((items[next++] as { value: string }).value);
      return [{ type: 'field', names }, next];
    }
    case 'dot':
      return [{ type: 'field', names: [] }, next];
    case 'variable': {
      const names: string[] = [];
      while (isAttachedField(items[next])) names.push((items[next++] as { value: string }).value);
      return [{ type: 'variable', name: item.value, names }, next];
    }
    case 'string':
      arg = { type: 'string', value: item.value };
      break;
    case 'number':
      arg = { type: 'number', value: item.value };
      break;
    case 'identifier':
      if (item.value === 'true' || item.value === 'false') arg = { type: 'bool', value: item.value === 'true' };
      else if (item.value === 'nil') arg = { type: 'nil' };
      else if (KEYWORDS.has(item.value)) throw new TemplateError(`unexpected keyword "${item.value}" in operand`);
      else arg = { type: 'identifier', name: item.value };
      break;
    case 'char': {
      if (item.value !== '(') throw new TemplateError(`unexpected "${item.value}" in operand`);
      let depth = 1;
      let end = next;
      for (; end < items.length; end++) {
        const inner = items[end];
        if (inner.kind === 'char' && inner.value === '(') depth++;
        if (inner.kind === 'char' && inner.value === ')' && --depth === 0) break;
      }
      if (end >= items.length) throw new TemplateError('unclosed left paren');
      arg = { type: 'pipeline', pipeline: parsePipeline(items.slice(next, end), false) };
      next = end + 1;
      break;
    }
    default:
      throw new TemplateError('unexpected item in operand');
  }
  if (isAttachedField(items[next])) {
    const names: string[] = [];
    while (isAttachedField(items[next])) names.push((items[next++] as { value: string }).value);
    arg = { type: 'chain', base: arg, names };
  }
  return [arg, next];
}

/** `.a.b` is one operand; `.a .b` is two. */
function isAttachedField(item: Item | undefined): boolean {
  return item?.kind === 'field' && item.attached;
}
