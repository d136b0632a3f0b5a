// Fields and values released upstream versions have that their pinned models packages do not declare.
//
// The @kubernetes-models/* packages are generated from CRDs older than the releases people run, so a
// valid object written for a current release (an Argo CD 3.5 Application's `tagPrefix`, an External
// Secrets 2.9 `syncWindows`, a Flux `postBuild.substituteStrategy`) was a false unknown-field error
// of the strict schema, and a few definitions require fields upstream no longer does. Found by walking
// each upstream release's CRDs against the definitions (tenth session; field names, types, enums and
// required lists, no code taken): the Argo CD entries below, the others in upstream-crd-fields.json
// (their JSONSchemaProps as the CRD gives them, descriptions left out), and the relaxations below.
// `gitops schemas` converts each as it converts a repository's CRD and adds it to the shared
// definitions; it fails once a package declares a field or value itself, so the lists shrink as the
// packages catch up.

type JsonSchema = Record<string, unknown>;

export interface UpstreamField {
  /** The shared definition (schemas/_definitions.json) the field belongs to. */
  definition: string;
  property: string;
  /** Its JSONSchemaProps as the upstream CRD gives it (converted like a repository's CRD; null accepted, as for every optional field). */
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

/** What a definition requires, or allows, that upstream no longer does, or not yet. */
export interface UpstreamRelaxation {
  definition: string;
  /** Values upstream added to a property's enum. */
  enumValues?: { property: string; values: string[] };
  /** Properties upstream no longer requires. */
  notRequired?: string[];
  since: string;
}

const ESO = 'ComGithubExternalSecretsExternalSecretsApisExternalsecretsV1';
const ESO_2_9 = 'External Secrets v2.9.0, config/crds/bases';

export const UPSTREAM_RELAXATIONS: readonly UpstreamRelaxation[] = [
  {
    definition: `${ESO}ExternalSecretTarget`,
    enumValues: { property: 'creationPolicy', values: ['CreateOrMerge'] },
    since: ESO_2_9,
  },
  {
    definition: `${ESO}GeneratorRef`,
    enumValues: {
      property: 'kind',
      values: [
        'BeyondtrustWorkloadCredentialsDynamicSecret',
        'CloudsmithAccessToken',
        'GitlabDeployToken',
        'SSHKey',
        'MFA',
      ],
    },
    since: ESO_2_9,
  },
  {
    definition: `${ESO}AWSProvider`,
    enumValues: { property: 'service', values: ['CertificateManager'] },
    since: ESO_2_9,
  },
  {
    definition: `${ESO}AzureKVProvider`,
    enumValues: { property: 'environmentType', values: ['AzureStackCloud'] },
    since: ESO_2_9,
  },
  { definition: `${ESO}DopplerAuth`, notRequired: ['secretRef'], since: ESO_2_9 },
  { definition: `${ESO}PulumiProvider`, notRequired: ['accessToken'], since: ESO_2_9 },
  { definition: `${ESO}SecretServerProvider`, notRequired: ['username', 'password'], since: ESO_2_9 },
  { definition: `${ESO}WebhookProvider`, notRequired: ['result'], since: ESO_2_9 },
  {
    definition: 'ComGithubKedacoreKedaV2ApisKedaV1alpha1Fallback',
    enumValues: { property: 'behavior', values: ['scalingModifiers'] },
    since: 'KEDA v2.20.2, config/crd/bases/keda.sh_scaledobjects.yaml',
  },
  {
    definition: 'ComGithubCertManagerCertManagerPkgApisCertmanagerV1PKCS12Keystore',
    enumValues: { property: 'profile', values: ['Modern2026'] },
    since: 'cert-manager v1.21.1, deploy/crds/cert-manager.io_certificates.yaml',
  },
  {
    definition: 'ComGithubFluxcdPkgApisKustomizeCustomHealthCheck',
    notRequired: ['kind'],
    since: 'Flux kustomize-controller v1.9.4, config/crd/bases',
  },
];

/**
 * `definitions` with the upstream fields in place (`fromCrd` converts a JSONSchemaProps, `optional`
 * lets an optional field be null) and the relaxations applied. Throws when a definition is missing
 * (the package renamed it) or the package has caught up (it declares the field, has the enum value or
 * no longer requires the property): then the entry is to be removed.
 */
export function withUpstreamFields(
  definitions: Record<string, JsonSchema>,
  fields: readonly UpstreamField[],
  relaxations: readonly UpstreamRelaxation[],
  fromCrd: (schema: JsonSchema) => JsonSchema,
  optional: (schema: JsonSchema) => JsonSchema,
): void {
  const propertiesOf = (definition: string, what: string) => {
    const properties = definitions[definition]?.properties as Record<string, JsonSchema> | undefined;
    if (!properties) throw new Error(`upstream fields: no definition ${definition} with properties for ${what}`);
    return properties;
  };
  const caughtUp = (definition: string, what: string, since: string) =>
    new Error(`upstream fields: ${definition} ${what} now (upstream since ${since}): remove the entry`);
  for (const { definition, property, schema, since } of fields) {
    const properties = propertiesOf(definition, property);
    if (property in properties) throw caughtUp(definition, `declares ${property}`, since);
    properties[property] = optional(fromCrd(structuredClone(schema)));
  }
  for (const { definition, enumValues, notRequired, since } of relaxations) {
    if (enumValues) {
      const target = propertiesOf(definition, enumValues.property)[enumValues.property];
      const values = target?.enum as unknown[] | undefined;
      if (!values) throw new Error(`upstream fields: ${definition}.${enumValues.property} has no enum`);
      const added = enumValues.values.filter((value) => !values.includes(value));
      if (added.length < enumValues.values.length)
        throw caughtUp(
          definition,
          `allows ${enumValues.values.filter((value) => values.includes(value)).join(', ')}`,
          since,
        );
      // Before a null the optional-field treatment added, so the list reads as upstream's plus null.
      const nullAt = values.indexOf(null);
      target.enum =
        nullAt === -1 ? [...values, ...added] : [...values.slice(0, nullAt), ...added, ...values.slice(nullAt)];
    }
    if (notRequired) {
      const target = definitions[definition];
      const required = (target?.required as string[] | undefined) ?? [];
      const absent = notRequired.filter((name) => !required.includes(name));
      if (absent.length > 0) throw caughtUp(definition, `no longer requires ${absent.join(', ')}`, since);
      const kept = required.filter((name) => !notRequired.includes(name));
      if (kept.length > 0) target.required = kept;
      else delete target.required;
    }
  }
}
