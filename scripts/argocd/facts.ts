// What the checker knows about Argo CD, in one place: each fact with the Argo CD version it holds
// from and the file of argoproj/argo-cd it comes from (read at 37ee009, v3.6.0 development). When
// Argo CD changes one of them, this file is the one to update.

export interface ArgoFactSource {
  /** The first Argo CD version with this behaviour. */
  since: string;
  /** Where in argoproj/argo-cd it is decided. */
  source: string;
}

/** An argocd-cm resource.exclusions / resource.inclusions entry (util/settings/filtered_resource.go). */
export interface ResourceExclusion {
  apiGroups: string[];
  kinds: string[];
  clusters?: string[];
}

export const ARGO_FACTS = {
  /** Every cluster secret carries this label; the clusters generator adds it to every selector. */
  clusterSecretLabel: {
    labels: { 'argocd.argoproj.io/secret-type': 'cluster' },
    since: '2.4',
    source: 'common/common.go LabelKeySecretType; applicationset/generators/cluster.go getSecretsByClusterName',
  },
  /** Generated Applications get this finalizer unless syncPolicy.preserveResourcesOnDeletion is true. */
  resourcesFinalizer: {
    name: 'resources-finalizer.argocd.argoproj.io',
    since: '2.3',
    source: 'applicationset/utils/utils.go RenderTemplateParams',
  },
  /** Generated Applications live in the ApplicationSet's namespace, whatever the template says. */
  applicationNamespaceIsTheSets: {
    since: '2.13',
    source: 'applicationset/controllers/template/template.go GenerateApplications',
  },
  /** A templatePatch cannot change spec.project (it is restored after the patch). */
  templatePatchKeepsProject: {
    since: '2.10',
    source: 'applicationset/controllers/template/patch.go applyTemplatePatch',
  },
  /** templatePatch is rendered and applied with either template syntax (the docs say goTemplate only). */
  templatePatchWithFasttemplate: {
    since: '2.10',
    source: 'applicationset/controllers/template/template.go renderTemplatePatch',
  },
  /** Nested generator selectors always apply; spec.applyNestedSelectors is ignored. */
  nestedSelectorsAlwaysApply: {
    since: '3.0',
    source: 'docs/operator-manual/upgrading/2.14-3.0.md "Ignoring ApplicationSet applyNestedSelectors field"',
  },
  /**
   * argocd-cm `resource.exclusions` as the install manifests ship it: Argo CD neither watches nor
   * applies these kinds, so a manifest of one of them in Git is never synced.
   */
  defaultResourceExclusions: {
    exclusions: [
      { apiGroups: ['', 'discovery.k8s.io'], kinds: ['Endpoints', 'EndpointSlice'] },
      { apiGroups: ['coordination.k8s.io'], kinds: ['Lease'] },
      {
        apiGroups: ['authentication.k8s.io', 'authorization.k8s.io'],
        kinds: [
          'SelfSubjectReview',
          'TokenReview',
          'LocalSubjectAccessReview',
          'SelfSubjectAccessReview',
          'SelfSubjectRulesReview',
          'SubjectAccessReview',
        ],
      },
      { apiGroups: ['certificates.k8s.io'], kinds: ['CertificateSigningRequest'] },
      { apiGroups: ['cert-manager.io'], kinds: ['CertificateRequest'] },
      { apiGroups: ['cilium.io'], kinds: ['CiliumIdentity', 'CiliumEndpoint', 'CiliumEndpointSlice'] },
      {
        apiGroups: ['kyverno.io', 'reports.kyverno.io', 'wgpolicyk8s.io'],
        kinds: [
          'PolicyReport',
          'ClusterPolicyReport',
          'EphemeralReport',
          'ClusterEphemeralReport',
          'AdmissionReport',
          'ClusterAdmissionReport',
          'BackgroundScanReport',
          'ClusterBackgroundScanReport',
          'UpdateRequest',
        ],
      },
    ] as ResourceExclusion[],
    since: '3.0',
    source: 'manifests/base/config/argocd-cm.yaml resource.exclusions; docs/operator-manual/upgrading/2.14-3.0.md',
  },
  /**
   * Resource tracking is by annotation by default: Argo CD writes argocd.argoproj.io/tracking-id
   * (`<app>:<group>/<kind>:<namespace>/<name>`), so one resource rendered by two Applications is
   * claimed by both and each sees the other's as not its own (a SharedResourceWarning, endless diffs).
   * argocd-cm `application.resourceTrackingMethod: label` opts out.
   */
  resourceTracking: {
    defaultMethod: 'annotation',
    annotation: 'argocd.argoproj.io/tracking-id',
    settingKey: 'application.resourceTrackingMethod',
    since: '3.0',
    source: 'util/settings/settings.go GetTrackingMethod; docs/operator-manual/upgrading/2.14-3.0.md',
  },
  /**
   * What the ApplicationSet controller may do to the Applications it generates: argocd-cmd-params-cm
   * `applicationsetcontroller.policy` (default "sync": create, update and delete), overridable per
   * ApplicationSet by spec.syncPolicy.applicationsSync only while the controller's policy is unset or
   * `applicationsetcontroller.enable.policy.override` is "true".
   */
  applicationsSyncPolicy: {
    policies: ['create-only', 'create-update', 'create-delete', 'sync'],
    defaultPolicy: 'sync',
    controllerKey: 'applicationsetcontroller.policy',
    overrideKey: 'applicationsetcontroller.enable.policy.override',
    since: '2.8',
    source:
      'applicationset/utils/policy.go DefaultPolicy; cmd/argocd-applicationset-controller/commands/applicationset_controller.go',
  },
  /**
   * RollingSync (spec.strategy.type: RollingSync with steps) is active only with
   * argocd-cmd-params-cm `applicationsetcontroller.enable.progressive.syncs: "true"`; it then turns
   * automated sync off on every generated Application (automated.enabled: false) and syncs them step
   * by step. RollingSync with no steps is an error: the controller stops before creating anything.
   */
  rollingSync: {
    enableKey: 'applicationsetcontroller.enable.progressive.syncs',
    since: '2.6 (automated.enabled: false rather than a removed automated block in 3.6)',
    source: 'applicationset/progressivesync/progressive_sync.go SyncDesiredApplications, RollingSyncStrategyEnabled',
  },
  /**
   * Git files generators match with `git ls-files` pathspecs unless argocd-cmd-params-cm
   * `applicationsetcontroller.enable.new.git.file.globbing` is "true" (doublestar globs).
   */
  newGitFileGlobbing: {
    key: 'applicationsetcontroller.enable.new.git.file.globbing',
    since: '2.8',
    source:
      'util/git/client.go LsFiles; manifests/base/applicationset-controller/argocd-applicationset-controller-deployment.yaml',
  },
  /**
   * Kustomize: argocd-cm `kustomize.buildOptions` (global flags for every build),
   * `kustomize.version.<v>` / `kustomize.path.<v>` (extra binaries), chosen by an Application's
   * spec.source.kustomize.version or, since 3.2, `kustomize.version` in the source folder's
   * `.argocd-source.yaml` / `.argocd-source-<app>.yaml` (which override spec.source for that app).
   */
  kustomize: {
    bundledVersion: '5.8.1',
    buildOptionsKey: 'kustomize.buildOptions',
    versionKeyPrefix: 'kustomize.version.',
    pathKeyPrefix: 'kustomize.path.',
    sourceOverrideFiles: ['.argocd-source.yaml', '.argocd-source-<app>.yaml'],
    since: '3.2 (.argocd-source.yaml kustomize.version)',
    source:
      'hack/tool-versions.sh; util/settings/settings.go GetKustomizeSettings; reposerver/repository/repository.go; docs/operator-manual/upgrading/3.1-3.2.md',
  },
  /** The Helm Argo CD bundles (4.x since 3.5: charts relying on Helm 3 quirks may render differently). */
  helm: {
    bundledVersion: '4.2.4',
    since: '3.5 (Helm 4)',
    source: 'hack/tool-versions.sh; docs/operator-manual/upgrading/3.4-3.5.md',
  },
} as const satisfies Record<string, ArgoFactSource & Record<string, unknown>>;
