// The schema stage: strict schema validation (kubeconform's verdicts), removed and deprecated
// apiVersions for the target Kubernetes version, and checks of the kustomization files themselves.
// Its findings are rule modules in rules/ (the one contract, scripts/check/contract.ts); check.ts holds
// what they share.
import { runRules } from '../check/engine.ts';
import { builtinRulesIn } from '../check/registry.ts';
import type { Finding, RepoContext } from '../types.ts';

export { SchemaValidator, expandLists, validateYamlStream, type SchemaVerdict, type SchemaError } from './validator.ts';
export { apiVersionStatus, API_VERSION_FACTS } from './apiVersions.ts';
export { formatPath, kustomizationProblems, schemaProblems } from './check.ts';
export { crdSchemasOf, type CrdSchema } from './crds.ts';

/** The schema rules (scripts/schema/rules/). */
export const schemaRules = builtinRulesIn('schema/rules');

/** The schema rules alone over a context (tests). */
export async function checkSchemas(ctx: RepoContext): Promise<Finding[]> {
  return (await runRules(ctx, { rules: schemaRules })).findings;
}
