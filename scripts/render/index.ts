// The render stage: real kustomize, wrapped so every object says which source file it came from.
//
// Public surface:
//   resolveKustomize()                       which kustomize runs (and its version)
//   renderKustomization(dir, options)        one kustomization → YAML text (what others call)
//   renderApps(jobs, options)                the pipeline's parallel, batched, cached renderer
import { resolveKustomize, runKustomize, type Kustomize } from './kustomize.ts';
import { buildWrapped, kustomizeFailure } from './wrapper.ts';

export { describeKustomize, npmKustomize, resolveKustomize, type Kustomize } from './kustomize.ts';
export {
  ORIGIN_ANNOTATION,
  TRANSFORMATIONS_ANNOTATION,
  splitRendered,
  takeOrigin,
  type ObjectOrigin,
} from './wrapper.ts';
export { renderApps, type RenderJob, type RenderOutcome, type RenderStats, type RenderedObject } from './apps.ts';

export type RenderResult = { ok: true; yaml: string } | { ok: false; error: string; limit?: boolean };

export interface RenderOptions {
  /** Defaults to resolveKustomize(). */
  kustomize?: Kustomize;
  /**
   * Add kustomize's origin and transformer annotations (through a temporary wrapper kustomization).
   * Paths in them are relative to the wrapper; use renderApps, which resolves them, unless you need the raw text.
   */
  origins?: boolean;
  timeoutMs?: number;
  memoryLimitMb?: number;
}

/** Builds one kustomization folder. Never throws: a kustomize failure is `{ ok: false, error }` with kustomize's first lines. */
export async function renderKustomization(absDir: string, options: RenderOptions = {}): Promise<RenderResult> {
  let kustomize: Kustomize;
  try {
    kustomize = options.kustomize ?? (await resolveKustomize());
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  const limits = { timeoutMs: options.timeoutMs, memoryLimitMb: options.memoryLimitMb };
  if (!options.origins) {
    const result = await runKustomize(kustomize, absDir, limits);
    return result.code === 0 ? { ok: true, yaml: result.stdout } : kustomizeFailure(result, [absDir]);
  }
  const built = await buildWrapped([absDir], kustomize, limits);
  return built.ok ? { ok: true, yaml: built.yaml } : built;
}
