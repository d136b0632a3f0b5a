// `gitops diff`: what a change does once Argo CD syncs it, from two sides run through the same
// validate pipeline. Pure over the two snapshots:
//
//   SideSnapshot (base) ─┐ objects.ts       objects added / removed / changed / renamed per env and app
//                        ├ applications.ts  Applications added / removed / renamed and their resources' fate
//   SideSnapshot (head) ─┤ matrix.ts        service x environment: image, replicas, resources, sync policy
//                        └ findings.ts      findings introduced and fixed
//                        ─► DiffReport ─► stylish.ts | json.ts | markdown.ts
import { isProductionEnv } from '../argocd/model.ts';
import { compareText } from '../finding-order.ts';
import type { Finding } from '../types.ts';
import { diffApplications, type ApplicationDiff } from './applications.ts';
import { diffFindings, type FindingChanges, type Renames } from './findings.ts';
import { environmentMatrix, type EnvironmentMatrix } from './matrix.ts';
import { diffApps, type AppDiff, type DiffTextOptions } from './objects.ts';
import type { SideSnapshot } from './snapshot.ts';

export { snapshotOf, SNAPSHOT_FORMAT, type SideSnapshot } from './snapshot.ts';

/** Which side is which, for the report's header. */
export interface SideInfo {
  /** The ref as given (`main`, `origin/main`), or null for the working tree. */
  ref: string | null;
  /** The commit the ref resolved to; null for the working tree. */
  commit: string | null;
}

export interface ChangeCounts {
  added: number;
  removed: number;
  changed: number;
  renamed: number;
}

export interface EnvironmentDiff {
  /** null for apps outside any environment. */
  env: string | null;
  apps: AppDiff[];
  /** Objects added, removed, changed, renamed in this environment. */
  objects: ChangeCounts;
  applications: ChangeCounts;
  findings: { introduced: number; fixed: number };
}

export interface DiffReport {
  base: SideInfo;
  head: SideInfo;
  environments: EnvironmentDiff[];
  applications: ApplicationDiff[];
  matrix: EnvironmentMatrix;
  findings: FindingChanges;
  summary: {
    /** Apps with a change (of them renamed), and the object counts over every environment. */
    apps: number;
    renamedApps: number;
    objects: ChangeCounts;
    applications: ChangeCounts;
    findings: { introduced: number; fixed: number; introducedErrors: number };
    /** Environments with any change (objects, Applications or findings), in the report's order. */
    changedEnvironments: string[];
  };
  /** Internal faults of the validator on either side ("base: ..."); the CLI exits 2 when there are any. */
  faults: string[];
}

export function diffSnapshots(
  base: SideSnapshot,
  head: SideSnapshot,
  sides: { base: SideInfo; head: SideInfo },
  options: DiffTextOptions = {},
): DiffReport {
  const apps = diffApps(base, head, options);
  const applications = diffApplications(base, head, options);
  const renames: Renames = {
    apps: new Map(apps.flatMap((app) => (app.previousApp ? [[app.previousApp, app.app] as const] : []))),
    applications: new Map(
      applications.flatMap((app) =>
        app.change === 'renamed' && app.previousName ? [[app.previousName, app.name] as const] : [],
      ),
    ),
  };
  const findings = diffFindings(base.findings, head.findings, renames);
  const order = [...new Set([...head.environments, ...base.environments])];
  const envNames = new Set<string | null>([
    ...apps.map((app) => app.env ?? null),
    ...applications.map((app) => app.env ?? null),
    ...[...findings.introduced, ...findings.fixed].map((finding) => finding.env ?? null),
  ]);
  const rank = (env: string | null) =>
    env === null ? Infinity : order.indexOf(env) < 0 ? order.length : order.indexOf(env);
  const environments = [...envNames]
    .sort((a, b) => rank(a) - rank(b) || compareText(a ?? '', b ?? ''))
    .map((env): EnvironmentDiff => {
      const inEnv = <T extends { env?: string }>(item: T) => (item.env ?? null) === env;
      const envApps = apps.filter(inEnv);
      return {
        env,
        apps: envApps,
        objects: countObjects(envApps),
        applications: countChanges(applications.filter(inEnv)),
        findings: {
          introduced: findings.introduced.filter(inEnv).length,
          fixed: findings.fixed.filter(inEnv).length,
        },
      };
    });
  const matrixEnvs = [
    ...order,
    ...environments.flatMap((entry) => (entry.env && !order.includes(entry.env) ? [entry.env] : [])),
  ];
  return {
    base: sides.base,
    head: sides.head,
    environments,
    applications,
    matrix: environmentMatrix(base, head, matrixEnvs, renames.apps),
    findings,
    summary: {
      apps: apps.length,
      renamedApps: apps.filter((app) => app.change === 'renamed').length,
      objects: countObjects(apps),
      applications: countChanges(applications),
      findings: {
        introduced: findings.introduced.length,
        fixed: findings.fixed.length,
        introducedErrors: findings.introduced.filter((finding) => finding.severity === 'error').length,
      },
      changedEnvironments: environments.flatMap((entry) => (entry.env !== null ? [entry.env] : [])),
    },
    faults: [...base.faults.map((fault) => `base: ${fault}`), ...head.faults.map((fault) => `head: ${fault}`)],
  };
}

function countChanges(items: { change: string }[]): ChangeCounts {
  const counts: ChangeCounts = { added: 0, removed: 0, changed: 0, renamed: 0 };
  for (const item of items) if (item.change in counts) counts[item.change as keyof ChangeCounts]++;
  return counts;
}

function countObjects(apps: AppDiff[]): ChangeCounts {
  return countChanges(apps.flatMap((app) => app.objects));
}

/** What `--fail-on` can name. */
export const FAIL_ON = ['new-errors', 'deleted-applications', 'prod-changes'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** The `--fail-on` conditions the report meets, each with what met it. */
export function failures(report: DiffReport, conditions: FailOn[]): string[] {
  const out: string[] = [];
  if (conditions.includes('new-errors') && report.summary.findings.introducedErrors > 0)
    out.push(`new-errors: ${report.summary.findings.introducedErrors} new error finding(s)`);
  if (conditions.includes('deleted-applications')) {
    const deleted = report.applications.filter((app) => app.change === 'removed' || app.change === 'renamed');
    if (deleted.length)
      out.push(`deleted-applications: ${deleted.map((app) => app.previousName ?? app.name).join(', ')}`);
  }
  if (conditions.includes('prod-changes')) {
    const prod = report.environments.filter((entry) => isProductionEnv(entry.env ?? undefined) && hasChanges(entry));
    if (prod.length) out.push(`prod-changes: ${prod.map((entry) => entry.env).join(', ')}`);
  }
  return out;
}

function hasChanges(entry: EnvironmentDiff): boolean {
  const total = (counts: ChangeCounts) => counts.added + counts.removed + counts.changed + counts.renamed;
  return entry.apps.length > 0 || total(entry.applications) > 0;
}

export type { AppDiff, ApplicationDiff, EnvironmentMatrix, FindingChanges, Finding };
