// Wording the diff formats share, so stylish and markdown say the same thing the same way.
import { plural } from '../report/common.ts';
import { describeRef } from '../types.ts';
import type { ApplicationDiff, Fate } from './applications.ts';
import type { ChangeCounts, DiffReport, SideInfo } from './index.ts';
import type { MatrixField, MatrixRow } from './matrix.ts';
import type { AppDiff, ObjectChange, ObjectDiff, SecretChange } from './objects.ts';

export const CHANGE_MARK: Record<ObjectChange, string> = { added: '+', removed: '-', changed: '~', renamed: '→' };

export const FIELD_LABEL: Record<MatrixField, string> = {
  image: 'image',
  replicas: 'replicas',
  resources: 'resources',
  syncPolicy: 'sync policy',
};

export const FATE_LABEL: Record<Fate, string> = {
  'deletes-resources': 'deletes its resources',
  'orphans-resources': 'orphans its resources',
  kept: 'keeps the Application',
  'waits-for-prune': 'deleted on the next sync with prune',
  'not-managed': 'nothing deletes it',
};

/** "main (1a2b3c4)", "working tree" */
export function sideLabel(side: SideInfo): string {
  if (side.ref === null) return 'working tree';
  return side.commit ? `${side.ref} (${side.commit.slice(0, 7)})` : side.ref;
}

/** "1 added, 2 changed" — only the non-zero counts; "" when all are zero. */
export function countsLabel(counts: ChangeCounts): string {
  return (['added', 'removed', 'changed', 'renamed'] as const)
    .filter((key) => counts[key] > 0)
    .map((key) => `${counts[key]} ${key}`)
    .join(', ');
}

/** The one-line verdict both formats open with. */
export function headline(report: DiffReport): string {
  const { summary } = report;
  const parts: string[] = [];
  const objects = countsLabel(summary.objects);
  const renamed = summary.renamedApps ? ` (${summary.renamedApps} renamed)` : '';
  if (objects) parts.push(`objects: ${objects} in ${plural(summary.apps, 'app')}${renamed}`);
  else if (summary.apps) parts.push(`${plural(summary.apps, 'app')} changed${renamed}`);
  const applications = countsLabel(summary.applications);
  if (applications) parts.push(`Applications: ${applications}`);
  if (summary.findings.introduced || summary.findings.fixed)
    parts.push(`findings: ${summary.findings.introduced} introduced, ${summary.findings.fixed} fixed`);
  return parts.length ? parts.join(' · ') : 'no changes';
}

/** "Deployment/shop/api", "ConfigMap/shop/api-config-7g2b5h9c4d → api-config-k8f6dm2t9b" */
export function objectTitle(entry: ObjectDiff): string {
  if (entry.previousName !== undefined)
    return `${describeRef({ ...entry.ref, name: entry.previousName })} → ${entry.ref.name}`;
  return describeRef(entry.ref);
}

/** "" for a changed app, " (app added)", " (renamed from overlays/prod/api)" */
export function appChangeNote(app: AppDiff): string {
  if (app.change === 'changed') return '';
  if (app.change === 'renamed') return ` (renamed from ${app.previousApp})`;
  return ` (app ${app.change})`;
}

/** "web", "api → orders" */
export function serviceTitle(row: MatrixRow): string {
  return row.previousService ? `${row.previousService} → ${row.service}` : row.service;
}

/** "user-service-prod → account-service-prod" */
export function applicationTitle(entry: ApplicationDiff): string {
  return entry.previousName !== undefined ? `${entry.previousName} → ${entry.name}` : entry.name;
}

/** "data.password changed (1a2b3c4d → 9f8e7d6c), data.user unchanged (77aa0b1c)"; values are never known here. */
export function secretsLabel(secrets: SecretChange[], quote: (text: string) => string = (text) => text): string {
  return secrets
    .map((secret) => {
      const hashes =
        secret.change === 'changed'
          ? `${quote(secret.before!)} → ${quote(secret.after!)}`
          : quote((secret.after ?? secret.before)!);
      return `${quote(secret.path)} ${secret.change} (${hashes})`;
    })
    .join(', ');
}

/** Whether any secret value of the entry changed, was added or removed. */
export function secretsChanged(secrets: SecretChange[]): boolean {
  return secrets.some((secret) => secret.change !== 'unchanged');
}
