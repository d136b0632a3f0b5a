// Facts: API versions of well-known operators' custom resources that their current releases no longer
// serve, with the release that stopped serving them and where that is written. Like Kubernetes's own
// removed APIs (schema/apiVersions.ts), but the cluster's operator version is not known from the
// repository, so these are reported as "stopped in <release>". When an operator drops a version,
// add it here with its source.

export interface OperatorApiFact {
  group: string;
  versions: string[];
  /** The kinds concerned; `*` for every kind of the group. */
  kinds: string[];
  operator: string;
  /** The first release that no longer serves these versions. */
  stoppedIn: string;
  /** The apiVersion to move to. */
  replacement: string;
  /** Where the removal is announced. */
  source: string;
}

const ESO_KINDS = ['ExternalSecret', 'SecretStore', 'ClusterSecretStore', 'ClusterExternalSecret'];

export const OPERATOR_API_FACTS: OperatorApiFact[] = [
  {
    group: 'cert-manager.io',
    versions: ['v1alpha2', 'v1alpha3', 'v1beta1'],
    kinds: ['*'],
    operator: 'cert-manager',
    stoppedIn: '1.7',
    replacement: 'cert-manager.io/v1',
    source:
      'cert-manager 1.7 release notes, "Removal of Deprecated APIs" (cert-manager.io/docs/releases/release-notes/release-notes-1.7)',
  },
  {
    group: 'acme.cert-manager.io',
    versions: ['v1alpha2', 'v1alpha3', 'v1beta1'],
    kinds: ['*'],
    operator: 'cert-manager',
    stoppedIn: '1.7',
    replacement: 'acme.cert-manager.io/v1',
    source: 'cert-manager 1.7 release notes, "Removal of Deprecated APIs"',
  },
  {
    group: 'external-secrets.io',
    versions: ['v1alpha1', 'v1beta1'],
    kinds: ESO_KINDS,
    operator: 'External Secrets Operator',
    stoppedIn: '0.17.0',
    replacement: 'external-secrets.io/v1',
    source:
      'external-secrets v0.17.0 release notes: "Stops serving v1beta1 apis" (its CRDs serve only v1 for these kinds)',
  },
  {
    group: 'keda.k8s.io',
    versions: ['v1alpha1'],
    kinds: ['*'],
    operator: 'KEDA',
    stoppedIn: '2.0',
    replacement: 'keda.sh/v1alpha1',
    source: 'KEDA docs, "Migration Guide from KEDA v1 to v2" (keda.sh/docs/2.0/migration): the API group is keda.sh',
  },
  {
    group: 'flagger.app',
    versions: ['v1alpha1', 'v1alpha2', 'v1alpha3'],
    kinds: ['Canary'],
    operator: 'Flagger',
    stoppedIn: '1.0',
    replacement: 'flagger.app/v1beta1',
    source: 'Flagger upgrade guide, "Upgrade canaries v1alpha3 to v1beta1" (docs.flagger.app/dev/upgrade-guide)',
  },
  {
    group: 'traefik.containo.us',
    versions: ['v1alpha1'],
    kinds: ['*'],
    operator: 'Traefik',
    stoppedIn: '3.0',
    replacement: 'traefik.io/v1alpha1',
    source: 'Traefik v2 to v3 migration guide: the kubernetesCRD provider no longer reads traefik.containo.us',
  },
  {
    group: 'snapshot.storage.k8s.io',
    versions: ['v1alpha1', 'v1beta1'],
    kinds: ['*'],
    operator: 'the CSI snapshot controller (external-snapshotter)',
    stoppedIn: '6.0',
    replacement: 'snapshot.storage.k8s.io/v1',
    source:
      'kubernetes-csi/external-snapshotter v6.0.0 release notes, "API Removal": VolumeSnapshot v1beta1 APIs are no longer served',
  },
];

/** The fact that says `apiVersion` `kind` is no longer served by its operator, if any. */
export function unservedOperatorApi(apiVersion: string, kind: string): OperatorApiFact | undefined {
  const slash = apiVersion.indexOf('/');
  if (slash === -1) return undefined;
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  return OPERATOR_API_FACTS.find(
    (fact) =>
      fact.group === group &&
      fact.versions.includes(version) &&
      (fact.kinds.includes('*') || fact.kinds.includes(kind)),
  );
}
