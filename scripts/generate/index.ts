// The generate stage: gitops.yaml (checked by the config stage) to base/, overlays/ and argocd/.
import { loadConfigFile } from '../config/index.ts';
import { planRepository } from './plan.ts';
import { applyPlan, type ApplyOptions, type WriteResult } from './write.ts';

export { planRepository, type PlannedFile } from './plan.ts';
export { applyPlan, type ApplyOptions, type Leftover, type WriteResult } from './write.ts';
export { MANIFEST_FILE } from './manifest.ts';
export { LOCK_FILE } from './lock.ts';
export { isOwned, OWNED_HEADER, SCAFFOLD_HEADER } from './objects.ts';

/**
 * Reads `configFile`, plans every file and applies the plan under `outDir`. Bad config throws
 * InputError before anything is written.
 */
export function generate(configFile: string, outDir: string, options: ApplyOptions = {}): WriteResult {
  const config = loadConfigFile(configFile);
  return applyPlan(outDir, planRepository(config), options);
}
