// A finding's identity across commits: what the baseline stores and SARIF's partialFingerprints carry.
import { createHash } from 'node:crypto';
import type { Finding } from '../types.ts';

/**
 * Numbers are masked and whitespace collapsed, so a finding keeps its identity when an unrelated edit
 * moves it ("declared at line 12" → "line 14") or a count in its message changes.
 */
export function normaliseMessage(message: string): string {
  return message.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

/**
 * ruleId + file + env + app + resource (kind, namespace, name; not the apiVersion, which a migration
 * changes) + the normalised message. Never the line or column: editing lines above a finding must not
 * make it new.
 */
export function fingerprintOf(finding: Finding): string {
  const resource = finding.resource
    ? [finding.resource.kind, finding.resource.namespace ?? '', finding.resource.name]
    : [];
  const identity = JSON.stringify([
    finding.ruleId,
    finding.file,
    finding.env ?? '',
    finding.app ?? '',
    resource,
    normaliseMessage(finding.message),
  ]);
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}
