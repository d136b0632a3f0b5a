// Services across environments. A service is the set of apps whose paths are equal except for the
// environment's name (overlays/dev/web, overlays/prod/web -> "overlays/*/web"). Services whose keys
// differ in one other segment form a family (overlays/*/web and overlays/*/api; apps/billing/envs/*
// and apps/orders/envs/*): the services of one platform, which should share their environments.
import type { App } from '../types.ts';

/** "overlays/*\/web", or undefined for an app without an environment or whose path does not name it. */
export function serviceKey(app: App): string | undefined {
  if (!app.env) return undefined;
  const segments = app.id.split('/');
  if (!segments.includes(app.env)) return undefined;
  return segments.map((s) => (s === app.env ? '*' : s)).join('/');
}

/** service key -> env -> app */
export function groupServices(apps: App[]): Map<string, Map<string, App>> {
  const services = new Map<string, Map<string, App>>();
  for (const app of apps) {
    const key = serviceKey(app);
    if (!key || !app.env) continue;
    const byEnv = services.get(key) ?? new Map<string, App>();
    byEnv.set(app.env, app);
    services.set(key, byEnv);
  }
  return services;
}

/**
 * The family of each service key: of the patterns that replace one non-"*" segment with "?", the one
 * the most services share. A service with no sibling is its own family.
 */
export function families(keys: string[]): Map<string, string> {
  const candidates = (key: string) =>
    key
      .split('/')
      .flatMap((segment, i, all) => (segment === '*' ? [] : [all.map((s, j) => (j === i ? '?' : s)).join('/')]));
  const counts = new Map<string, number>();
  for (const key of keys) for (const pattern of candidates(key)) counts.set(pattern, (counts.get(pattern) ?? 0) + 1);
  const out = new Map<string, string>();
  for (const key of keys) {
    let best = key;
    let bestCount = 1;
    for (const pattern of candidates(key)) {
      const count = counts.get(pattern) ?? 0;
      if (count > bestCount) {
        best = pattern;
        bestCount = count;
      }
    }
    out.set(key, best);
  }
  return out;
}
