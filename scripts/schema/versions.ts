// The target Kubernetes version decides which fields exist. schemas/ is built from Kubernetes 1.36;
// schemas/kubernetes-versions.json (versions-build.ts) lists, per shared definition, the fields an
// older minor lacks and the minor that introduced each, and the kinds an older minor does not serve.
// For an older target, each such field's schema becomes `{ introducedIn: "<minor>" }`, a keyword that
// always fails with a message naming the version, so `lifecycle.preStop.sleep` against 1.28 says
// "added in Kubernetes 1.29" on the line that sets it, instead of passing.
// eslint-disable-next-line no-restricted-imports -- reads the tool's own schemas/ (the version table)
import fs from 'node:fs';
import path from 'node:path';

export const VERSION_TABLE_FILE = 'kubernetes-versions.json';

export interface VersionTable {
  about: string;
  /** The minor schemas/ is built from. */
  newest: string;
  /** The oldest minor with facts; an older target is checked as this one. */
  oldest: string;
  /** Where each minor's facts come from (package and integrity). */
  sources: Record<string, string>;
  /** `"<apiVersion> <kind>"` → the first minor that serves it, for kinds newer than `oldest`. */
  kinds: Record<string, string>;
  /** definition → field → the first minor that has it. */
  fields: Record<string, Record<string, string>>;
}

/** Orders "1.9" before "1.28"; anything unreadable sorts last. */
export function compareMinor(a: string, b: string): number {
  const parse = (v: string) => v.replace(/^v/, '').split('.').map(Number);
  const [a1 = Infinity, a2 = Infinity] = parse(a);
  const [b1 = Infinity, b2 = Infinity] = parse(b);
  return a1 - b1 || a2 - b2;
}

const tables = new Map<string, VersionTable | null>();

/** The table in a schemas folder, or null when it has none (a schema location, the reference schemas). */
export function versionTable(schemasDir: string): VersionTable | null {
  let table = tables.get(schemasDir);
  if (table === undefined) {
    try {
      table = JSON.parse(fs.readFileSync(path.join(schemasDir, VERSION_TABLE_FILE), 'utf8')) as VersionTable;
    } catch {
      table = null;
    }
    tables.set(schemasDir, table);
  }
  return table;
}

/** True when the target is older than the schemas, so fields must be taken away. */
export function isOlder(table: VersionTable, target: string): boolean {
  return compareMinor(target, table.newest) < 0;
}

/** The shared definitions as the target minor has them: newer fields fail with the minor that added them. */
export function definitionsFor(
  definitions: Record<string, Record<string, unknown>>,
  table: VersionTable,
  target: string,
): Record<string, Record<string, unknown>> {
  if (!isOlder(table, target)) return definitions;
  const out = { ...definitions };
  for (const [definition, fields] of Object.entries(table.fields)) {
    const schema = out[definition];
    if (!schema?.properties) continue;
    let properties: Record<string, unknown> | undefined;
    for (const [field, introduced] of Object.entries(fields)) {
      if (compareMinor(target, introduced) >= 0) continue;
      properties ??= { ...(schema.properties as Record<string, unknown>) };
      properties[field] = { introducedIn: introduced };
    }
    if (properties) out[definition] = { ...schema, properties };
  }
  return out;
}

/** The minor that first serves this kind, when the target is older than it. */
export function kindIntroducedAfter(
  table: VersionTable,
  apiVersion: string,
  kind: string,
  target: string,
): string | undefined {
  const introduced = table.kinds[`${apiVersion} ${kind}`];
  return introduced && compareMinor(target, introduced) < 0 ? introduced : undefined;
}
