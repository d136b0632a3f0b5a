// A unified diff of two texts for `generate --check`: the files are small, so a plain LCS table is enough.

export function unifiedDiff(path: string, before: string | undefined, after: string | undefined, context = 3): string {
  const a = before === undefined ? [] : splitLines(before);
  const b = after === undefined ? [] : splitLines(after);
  const ops = diffLines(a, b);
  const header = `--- ${before === undefined ? '/dev/null' : `a/${path}`}\n+++ ${after === undefined ? '/dev/null' : `b/${path}`}\n`;
  const hunks: string[] = [];
  let index = 0;
  while (index < ops.length) {
    if (ops[index].type === ' ') {
      index++;
      continue;
    }
    // Grow a hunk around consecutive changes closer than 2 x context lines.
    const start = Math.max(0, index - context);
    let end = index;
    while (end < ops.length) {
      if (ops[end].type !== ' ') {
        end++;
        continue;
      }
      let run = end;
      while (run < ops.length && ops[run].type === ' ') run++;
      if (run < ops.length && run - end <= 2 * context) end = run;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const slice = ops.slice(start, stop);
    const oldStart = slice[0].oldLine;
    const newStart = slice[0].newLine;
    const oldCount = slice.filter((op) => op.type !== '+').length;
    const newCount = slice.filter((op) => op.type !== '-').length;
    hunks.push(
      `@@ -${oldCount === 0 ? oldStart - 1 : oldStart},${oldCount} +${newCount === 0 ? newStart - 1 : newStart},${newCount} @@\n${slice.map((op) => `${op.type}${op.text}\n`).join('')}`,
    );
    index = stop;
  }
  return header + hunks.join('');
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

interface Op {
  type: ' ' | '-' | '+';
  text: string;
  oldLine: number;
  newLine: number;
}

function diffLines(a: string[], b: string[]): Op[] {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table = new Uint32Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * cols + j] =
        a[i] === b[j]
          ? table[(i + 1) * cols + j + 1] + 1
          : Math.max(table[(i + 1) * cols + j], table[i * cols + j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ type: ' ', text: a[i], oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (j < b.length && (i === a.length || table[i * cols + j + 1] > table[(i + 1) * cols + j])) {
      ops.push({ type: '+', text: b[j], oldLine: i + 1, newLine: j + 1 });
      j++;
    } else {
      ops.push({ type: '-', text: a[i], oldLine: i + 1, newLine: j + 1 });
      i++;
    }
  }
  return ops;
}
