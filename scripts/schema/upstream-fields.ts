// Fields a released upstream version has that its pinned models package does not declare yet.
//
// @kubernetes-models/argo-cd 4.0.0 is generated from a CRD older than Argo CD 3.5, so an Application,
// ApplicationSet or AppProject written for 3.5 (a `tagPrefix`, a sync window's `syncOverrun`, an
// AppProject's `sourceIntegrity`) was a false unknown-field error of the strict schema. These are the
// field names and JSON types of Argo CD v3.5.1's manifests/crds that the package lacks (found by
// walking both schemas; no code taken), added to the shared definitions by `gitops schemas`. The
// build fails once the package declares one of them, so the list shrinks as the package catches up.

type JsonSchema = Record<string, unknown>;

export interface UpstreamField {
  /** The shared definition (schemas/_definitions.json) the field belongs to. */
  definition: string;
  property: string;
  /** Its schema as the upstream CRD gives it (optional fields: `gitops schemas` lets them be null, as the others). */
  schema: JsonSchema;
  /** Where upstream declares it. */
  since: string;
}

const ARGO_CD = 'ComGithubArgoprojArgoCdV3PkgApisApplicationV1alpha1';
const ARGO_CD_3_5 = 'Argo CD v3.5.1, manifests/crds';

const text = { type: 'string' };
const flag = { type: 'boolean' };
const object = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  ...(required.length > 0 ? { required } : {}),
  additionalProperties: false,
});

export const UPSTREAM_FIELDS: readonly UpstreamField[] = [
  { definition: `${ARGO_CD}ApplicationSource`, property: 'tagPrefix', schema: text, since: ARGO_CD_3_5 },
  { definition: `${ARGO_CD}SyncSource`, property: 'repoURL', schema: text, since: ARGO_CD_3_5 },
  {
    definition: `${ARGO_CD}SCMProviderGeneratorGitea`,
    property: 'excludeArchivedRepos',
    schema: flag,
    since: ARGO_CD_3_5,
  },
  {
    definition: `${ARGO_CD}SCMProviderGeneratorGithub`,
    property: 'excludeArchivedRepos',
    schema: flag,
    since: ARGO_CD_3_5,
  },
  {
    definition: `${ARGO_CD}SCMProviderGeneratorGitlab`,
    property: 'includeArchivedRepos',
    schema: flag,
    since: ARGO_CD_3_5,
  },
  { definition: `${ARGO_CD}SyncWindow`, property: 'syncOverrun', schema: flag, since: ARGO_CD_3_5 },
  {
    definition: `${ARGO_CD}SourceHydratorStatus`,
    property: 'lastComparedDryRevision',
    schema: text,
    since: ARGO_CD_3_5,
  },
  { definition: `${ARGO_CD}ApplicationSummary`, property: 'isAppOfApps', schema: flag, since: ARGO_CD_3_5 },
  {
    definition: `${ARGO_CD}ApplicationSetStatus`,
    property: 'health',
    schema: object({ lastTransitionTime: { type: 'string', format: 'date-time' }, message: text, status: text }),
    since: ARGO_CD_3_5,
  },
  {
    definition: `${ARGO_CD}AppProjectSpec`,
    property: 'sourceIntegrity',
    schema: object({
      git: object({
        policies: {
          type: 'array',
          items: object({
            gpg: object({ keys: { type: 'array', items: text }, mode: text }, ['keys', 'mode']),
            repos: { type: 'array', items: object({ url: text }, ['url']) },
          }),
        },
      }),
    }),
    since: ARGO_CD_3_5,
  },
];

/**
 * `definitions` with the upstream fields in place. Throws when a definition is missing (the package
 * renamed it) or already declares the field (the package caught up: remove the entry).
 */
export function withUpstreamFields(
  definitions: Record<string, JsonSchema>,
  fields: readonly UpstreamField[],
  optional: (schema: JsonSchema) => JsonSchema,
): void {
  for (const { definition, property, schema, since } of fields) {
    const target = definitions[definition];
    const properties = target?.properties as Record<string, JsonSchema> | undefined;
    if (!properties) throw new Error(`upstream-fields.ts: no definition ${definition} with properties for ${property}`);
    if (property in properties)
      throw new Error(
        `upstream-fields.ts: ${definition} declares ${property} now (added upstream in ${since}): remove the entry`,
      );
    properties[property] = optional(structuredClone(schema));
  }
}
