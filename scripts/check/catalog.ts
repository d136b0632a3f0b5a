// The rule catalog as text: the table `gitops rules` prints, the page `gitops explain` prints,
// docs/rules.md and SARIF's rule help. All generated from the registry's RuleMeta so the docs cannot
// drift from the code.
import type { RuleMeta } from '../types.ts';
import { compareText } from '../finding-order.ts';
import { peerCoverageMarkdown } from './peer-coverage.ts';
import { closestNames } from '../suggest.ts';
import { appendAll } from '../lists.ts';

/** A rule's docs as one Markdown text: why, then how to fix. */
export function docsMarkdown(meta: Pick<RuleMeta, 'docs'>): string {
  return `${meta.docs.why.trim()}\n\n**How to fix:** ${meta.docs.fix.trim()}`;
}

export const CATEGORY_ORDER = [
  'files',
  'render',
  'api',
  'reliability',
  'resources',
  'images',
  'security',
  'secrets',
  'cross-resource',
  'environments',
  'argocd',
];

/** Rules grouped by category (in CATEGORY_ORDER, then unknown ones by name), sorted by id inside. */
export function sortRuleMetas(metas: RuleMeta[]): RuleMeta[] {
  const rank = (category: string) => {
    const index = CATEGORY_ORDER.indexOf(category);
    return index === -1 ? CATEGORY_ORDER.length : index;
  };
  return [...metas].sort(
    (a, b) => rank(a.category) - rank(b.category) || compareText(a.category, b.category) || compareText(a.id, b.id),
  );
}

export function rulesTable(metas: RuleMeta[]): string {
  const sorted = sortRuleMetas(metas);
  const widths = {
    id: Math.max(4, ...sorted.map((m) => m.id.length)),
    severity: 8,
    category: Math.max(8, ...sorted.map((m) => m.category.length)),
  };
  const row = (id: string, severity: string, category: string, description: string) =>
    `${id.padEnd(widths.id)}  ${severity.padEnd(widths.severity)}  ${category.padEnd(widths.category)}  ${description}`.trimEnd();
  return [
    row('RULE', 'SEVERITY', 'CATEGORY', 'DESCRIPTION'),
    ...sorted.map((m) => row(m.id, m.defaultSeverity, m.category, m.description)),
  ].join('\n');
}

/** The kinds a resource rule judges (meta.kinds), as its page says them: `; checks Service`, or nothing. */
function checks(meta: Pick<RuleMeta, 'kinds'>): string {
  return meta.kinds ? `; checks ${meta.kinds.join(', ')}` : '';
}

/** What `gitops explain <rule>` prints: the docs, then the bad and the good example. */
export function explainText(meta: RuleMeta): string {
  const lines = [
    `${meta.id} (${meta.category}, default severity: ${meta.defaultSeverity}${checks(meta)})`,
    '',
    meta.description,
    '',
    docsMarkdown(meta),
  ];
  if (meta.examples) {
    lines.push('', 'Bad:', '', indent(meta.examples.bad), '', 'Good:', '', indent(meta.examples.good));
  }
  lines.push('', `Ignore one object with the annotation  ignore-check.gitops.dev/${meta.id}: "<reason>"`);
  return lines.join('\n');
}

export function rulesMarkdown(metas: RuleMeta[]): string {
  const sorted = sortRuleMetas(metas);
  const out = [
    '# Rules',
    '',
    "<!-- Generated from the rules' metadata by `npx gitops rules --markdown > docs/rules.md`; do not edit. test/check/catalog.test.ts fails when it is stale. -->",
    '',
    'Every rule has a default severity that fits a production repository. `gitops.yaml` can change it per',
    'environment or turn it off with a reason (`lint.rules.<id>`), and one object can be exempted with the',
    'annotation `ignore-check.gitops.dev/<id>: "<reason>"`. `gitops explain <id>` prints a rule\'s page.',
    '',
    '| rule | severity | category | description |',
    '|---|---|---|---|',
    ...sorted.map(
      (m) => `| [${m.id}](#${m.id}) | ${m.defaultSeverity} | ${m.category} | ${m.description.replace(/\|/g, '\\|')} |`,
    ),
  ];
  for (const meta of sorted) {
    out.push(
      '',
      `## ${meta.id}`,
      '',
      `*${meta.category}, default severity: ${meta.defaultSeverity}${checks(meta)}.* ${meta.description}`,
      '',
      docsMarkdown(meta),
    );
    if (meta.examples) {
      out.push(
        '',
        'Bad:',
        '',
        '```yaml',
        meta.examples.bad.trimEnd(),
        '```',
        '',
        'Good:',
        '',
        '```yaml',
        meta.examples.good.trimEnd(),
        '```',
      );
    }
  }
  appendAll(out, peerCoverageMarkdown());
  return out.join('\n') + '\n';
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/** The closest rule ids to a mistyped one, for "did you mean". */
export function suggestRules(id: string, metas: readonly Pick<RuleMeta, 'id'>[]): string[] {
  return closestNames(
    id,
    metas.map((m) => m.id),
    { substrings: true },
  );
}

/**
 * The files of a documented example. An example is YAML a person can copy; one that needs several files
 * marks each with a `# file: <path>` line (a `# file: <link> -> <target>` line is a symbolic link). Text
 * before the first marker is `example.yaml`. A `gitops.yaml` section holds only the settings that matter
 * (the runner reads it as the lint settings, not as a complete gitops.yaml).
 */
export function exampleFiles(example: string): { files: Record<string, string>; links: Record<string, string> } {
  const files: Record<string, string> = {};
  const links: Record<string, string> = {};
  let current = 'example.yaml';
  let lines: string[] = [];
  const flush = () => {
    const text = lines.join('\n').trim();
    if (text || current !== 'example.yaml') files[current] = text ? `${text}\n` : '';
    lines = [];
  };
  for (const line of example.split('\n')) {
    const marker = /^# file: (\S+)(?: -> (\S+))?\s*(?:#.*)?$/.exec(line);
    if (!marker) {
      lines.push(line);
      continue;
    }
    flush();
    if (marker[2]) {
      links[marker[1]] = marker[2];
      current = 'example.yaml';
    } else current = marker[1];
  }
  flush();
  return { files, links };
}
