// Findings a change introduces and findings it fixes: the validator's findings on both sides,
// matched by the baseline's fingerprint (rule, file, env, app, resource, message with numbers
// masked; never the line), counted, so an unrelated edit that moves a finding is neither.
import { fingerprintOf } from '../filter/fingerprint.ts';
import { sortFindings } from '../finding-order.ts';
import type { Finding } from '../types.ts';

export interface FindingChanges {
  /** On the head side and not the base side (head's lines). */
  introduced: Finding[];
  /** On the base side and not the head side (base's lines). */
  fixed: Finding[];
}

/** What moved between the sides: app folders (old id → new id) and Application names (old → new). */
export interface Renames {
  apps: Map<string, string>;
  applications: Map<string, string>;
}

/**
 * A folder or Application renamed carries its findings along: base findings are matched as if they
 * had been reported under the new names, so a rename alone introduces and fixes nothing.
 */
export function diffFindings(
  base: Finding[],
  head: Finding[],
  renames: Renames = { apps: new Map(), applications: new Map() },
): FindingChanges {
  const renamed = (finding: Finding) => fingerprintOf(translate(finding, renames));
  return {
    introduced: without(head, base, fingerprintOf, renamed),
    fixed: without(base, head, renamed, fingerprintOf),
  };
}

/** The base finding under the head side's names: its app, files under the app's folder, Application names (message, resource). */
function translate(finding: Finding, renames: Renames): Finding {
  if (renames.apps.size === 0 && renames.applications.size === 0) return finding;
  const out: Finding = { ...finding };
  if (finding.app && renames.apps.has(finding.app)) out.app = renames.apps.get(finding.app);
  for (const [from, to] of renames.apps) {
    if (out.file.startsWith(`${from}/`)) out.file = `${to}${out.file.slice(from.length)}`;
  }
  for (const [from, to] of renames.applications) out.message = replaceName(out.message, from, to);
  const resource = finding.resource;
  if (resource?.kind === 'Application' && renames.applications.has(resource.name))
    out.resource = { ...resource, name: renames.applications.get(resource.name)! };
  return out;
}

/** Every occurrence of the name `from` as a whole word (not inside a longer name such as `from-v2`). */
function replaceName(text: string, from: string, to: string): string {
  const isNameChar = (ch: string | undefined) => ch !== undefined && /[\w.-]/.test(ch);
  let out = '';
  let at = 0;
  for (let index = text.indexOf(from); index >= 0 && from; index = text.indexOf(from, index + from.length)) {
    if (isNameChar(text[index - 1]) || isNameChar(text[index + from.length])) continue;
    out += text.slice(at, index) + to;
    at = index + from.length;
  }
  return out + text.slice(at);
}

/** `from` minus `other`, as multisets of fingerprints: a third copy of a finding the other side has twice is new. */
function without(
  from: Finding[],
  other: Finding[],
  keyOfFrom: (finding: Finding) => string,
  keyOfOther: (finding: Finding) => string,
): Finding[] {
  const counts = new Map<string, number>();
  for (const finding of other) {
    const key = keyOfOther(finding);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const out: Finding[] = [];
  for (const finding of sortFindings(from)) {
    const key = keyOfFrom(finding);
    const left = counts.get(key) ?? 0;
    if (left > 0) counts.set(key, left - 1);
    else out.push(finding);
  }
  return out;
}
