// The generate stage: gitops.yaml (checked by the config stage) to base/, overlays/ and argocd/.
import { loadConfigFile } from '../config/index.ts';
import { OutputRoot } from './output.ts';
import { findOverrides, type Override } from './overrides.ts';
import { planRepository } from './plan.ts';
import { applyPlan, type ApplyOptions, type WriteResult } from './write.ts';

export { planRepository, type PlannedFile } from './plan.ts';
export { applyPlan, type ApplyOptions, type Leftover, type WriteResult } from './write.ts';
export { MANIFEST_FILE } from './manifest.ts';
export { LOCK_FILE } from './lock.ts';
export { GENERATED_LAYER } from './layout.ts';
export { isOwned, OWNED_HEADER, SCAFFOLD_HEADER } from './objects.ts';
export type { Override } from './overrides.ts';

export interface GenerateResult extends WriteResult {
  /** Values people's overlays set that gitops.yaml owns (with file and line): `--check` fails on them. */
  overrides: Override[];
}

/**
 * Reads `configFile`, plans every file and applies the plan under `outDir`, then reports the overlay
 * values that override gitops.yaml. Bad config throws InputError before anything is written.
 */
export function generate(configFile: string, outDir: string, options: ApplyOptions = {}): GenerateResult {
  const config = loadConfigFile(configFile);
  const result = applyPlan(outDir, planRepository(config), options);
  return { ...result, overrides: findOverrides(new OutputRoot(outDir, { create: false }), config) };
}
