// How the catalog answers every check kube-linter and kube-score run by default: the rule (or rules)
// that covers it, or why it is not covered. Rendered as a table at the end of docs/rules.md; the
// catalog test fails when a counterpart is not a rule of the registry. The default check lists were
// read from the tools' own documentation: kube-linter docs/generated/checks.md ("Enabled by default:
// Yes") at 35de568, kube-score README_CHECKS.md ("default") at 06dedc9.

export interface PeerCheck {
  tool: 'kube-linter' | 'kube-score';
  check: string;
  /** Our rules that cover it (in full or in the part that matters under Argo CD), or none. */
  covered: string[];
  /** How ours differs, or, when `covered` is empty, why it is not covered. */
  note?: string;
}

const kl = (check: string, covered: string[], note?: string): PeerCheck => ({
  tool: 'kube-linter',
  check,
  covered,
  ...(note ? { note } : {}),
});
const ks = (check: string, covered: string[], note?: string): PeerCheck => ({
  tool: 'kube-score',
  check,
  covered,
  ...(note ? { note } : {}),
});

export const PEER_CHECKS: PeerCheck[] = [
  kl(
    'dangling-service',
    ['service-selects-pods'],
    'pods from any app of the environment count, and the labels controllers add',
  ),
  kl('deprecated-service-account-field', ['deprecated-service-account-field']),
  kl('docker-sock', ['sensitive-host-mount'], 'every container runtime socket, not only Docker'),
  kl(
    'drop-net-raw-capability',
    ['drop-all-capabilities', 'dangerous-capabilities'],
    'drop ALL, and never add NET_RAW back',
  ),
  kl('duplicate-env-var', ['duplicate-env-var']),
  kl(
    'env-var-secret',
    ['no-secret-literals'],
    'credential patterns and password-like names in env, args, ConfigMaps and annotations',
  ),
  kl('host-ipc', ['no-host-namespaces']),
  kl('host-network', ['no-host-namespaces']),
  kl('host-pid', ['no-host-namespaces']),
  kl(
    'invalid-target-ports',
    [],
    'not covered yet: the API server refuses a port name that is not an IANA service name, so the sync fails with its message; service-target-port-exists checks that a named targetPort exists',
  ),
  kl(
    'job-ttl-seconds-after-finished',
    ['job-lifecycle'],
    "the advice is Argo CD's: a TTL on a plain Job makes automated sync re-run it, so a Job should be a sync hook",
  ),
  kl('latest-tag', ['image-tag-pinned'], 'also tags that name no version (stable, main) and no tag at all'),
  kl('liveness-port', ['probe-port-exists']),
  kl('mismatching-selector', ['selector-matches-template']),
  kl('no-anti-affinity', ['replicas-spread'], 'topology spread constraints count too'),
  kl(
    'no-extensions-v1beta',
    ['api-removed', 'api-deprecated'],
    'every removed or deprecated built-in API version, for the target Kubernetes version',
  ),
  kl('no-read-only-root-fs', ['read-only-root-fs']),
  kl(
    'non-existent-service-account',
    [],
    'not covered yet: service accounts are often made by operators and charts outside the app, so a missing one needs the "who creates it" model secret-ref-exists has',
  ),
  kl('pdb-max-unavailable', ['pdb-not-blocking']),
  kl('pdb-min-available', ['pdb-not-blocking']),
  kl(
    'pdb-unhealthy-pod-eviction-policy',
    [],
    'not covered: it asks to write a field whose default (IfHealthyBudget) only matters for pods that are already unhealthy; a team preference, not a defect',
  ),
  kl('privilege-escalation-container', ['no-privilege-escalation']),
  kl('privileged-container', ['no-privileged']),
  kl('readiness-port', ['probe-port-exists']),
  kl('run-as-non-root', ['run-as-non-root']),
  kl('sensitive-host-mounts', ['sensitive-host-mount']),
  kl('ssh-port', ['privileged-port'], 'port 22 is reported as SSH'),
  kl('startup-port', ['probe-port-exists']),
  kl('unsafe-sysctls', ['unsafe-sysctls'], 'the safe set of the target Kubernetes version'),
  kl('unset-cpu-requirements', ['resources-set']),
  kl('unset-memory-requirements', ['resources-set']),
  ks(
    'container-ephemeral-storage-request-and-limit',
    [],
    'not covered: few clusters run out of ephemeral storage before CPU or memory, and a request and a limit on every container is noise (resources-set covers CPU and memory)',
  ),
  ks(
    'container-image-pull-policy',
    [],
    'not covered: Always only matters for mutable tags, which image-tag-pinned reports; with a version tag or a digest IfNotPresent is right',
  ),
  ks('container-image-tag', ['image-tag-pinned']),
  ks('container-resources', ['resources-set']),
  ks('container-security-context-privileged', ['no-privileged']),
  ks('container-security-context-readonlyrootfilesystem', ['read-only-root-fs']),
  ks(
    'container-security-context-user-group-id',
    ['run-as-non-root'],
    'non-root is required; kube-score\'s "UID above 10000" is not',
  ),
  ks('cronjob-has-deadline', ['cronjob-schedule-policy']),
  ks(
    'cronjob-restartpolicy',
    [],
    'not covered: the API server refuses a Job template with restartPolicy Always, so the sync fails with its message',
  ),
  ks('deployment-has-host-podantiaffinity', ['replicas-spread']),
  ks('deployment-has-poddisruptionbudget', ['pdb-present']),
  ks('deployment-pod-selector-labels-match-template-metadata-labels', ['selector-matches-template']),
  ks('deployment-replicas', ['replicas-minimum'], 'a minimum per environment (2 in prod by default)'),
  ks('deployment-strategy', ['rolling-update-strategy']),
  ks('deployment-targeted-by-hpa-does-not-have-replicas-configured', ['hpa-replicas-conflict']),
  ks('environment-variable-key-duplication', ['duplicate-env-var']),
  ks('horizontalpodautoscaler-has-target', ['hpa-target-exists']),
  ks(
    'horizontalpodautoscaler-replicas',
    ['replicas-minimum'],
    "an HPA's minReplicas is the count replicas-minimum checks",
  ),
  ks('ingress-targets-service', ['ingress-backend-exists']),
  ks(
    'label-values',
    [],
    'not covered yet: the API server refuses an invalid label value, so the sync fails with its message',
  ),
  ks('networkpolicy-targets-pod', ['networkpolicy-selects-pods']),
  ks(
    'pod-networkpolicy',
    ['networkpolicy-default-deny'],
    'per namespace: a default-deny policy, rather than a policy per pod',
  ),
  ks('pod-probes', ['probes-present']),
  ks('pod-probes-identical', ['probes-differ']),
  ks(
    'pod-topology-spread-constraints',
    ['replicas-spread'],
    "whether replicas are spread; the constraints' own fields are schema-valid's",
  ),
  ks(
    'poddisruptionbudget-has-policy',
    [],
    'not covered yet: a PodDisruptionBudget with neither minAvailable nor maxUnavailable is accepted and protects nothing',
  ),
  ks('service-targets-pod', ['service-selects-pods']),
  ks('service-type', ['service-exposed'], 'NodePort, and LoadBalancers that are neither internal nor restricted'),
  ks(
    'stable-version',
    ['api-deprecated', 'api-removed', 'operator-api-removed'],
    "built-in kinds for the target version, and operators' retired CRD versions",
  ),
  ks('statefulset-has-host-podantiaffinity', ['replicas-spread']),
  ks('statefulset-has-poddisruptionbudget', ['pdb-present']),
  ks(
    'statefulset-has-servicename',
    [],
    'not covered yet: a StatefulSet whose serviceName names no headless Service still runs, without stable DNS names for its pods',
  ),
  ks('statefulset-pod-selector-labels-match-template-metadata-labels', ['selector-matches-template']),
];

/** The table docs/rules.md ends with. */
export function peerCoverageMarkdown(): string[] {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const row = (peer: PeerCheck) =>
    `| ${peer.tool} | ${peer.check} | ${peer.covered.length ? peer.covered.map((id) => `[${id}](#${id})`).join(', ') : '—'} | ${cell(peer.note ?? '')} |`;
  return [
    '',
    '## Coverage of kube-linter and kube-score',
    '',
    "Every check kube-linter and kube-score run by default, with the rule of this catalog that covers it or why none does (kube-linter's `docs/generated/checks.md` and kube-score's `README_CHECKS.md`).",
    '',
    '| tool | check | covered by | note |',
    '|---|---|---|---|',
    ...PEER_CHECKS.map(row),
  ];
}
