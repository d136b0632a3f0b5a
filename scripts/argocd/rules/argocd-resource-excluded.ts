import { defineRule } from '../../check/contract.ts';
import { appliedResources } from '../applied.ts';
import { describeApplication } from '../describe.ts';
import { ARGO_FACTS } from '../facts.ts';
import { argoModel, resolvedDestination } from '../model.ts';
import { clusterScopedCRDs, groupOf } from '../project.ts';
import { isExcludedResource } from '../settings.ts';

export default defineRule({
  meta: {
    id: 'argocd-resource-excluded',
    description:
      "An Application does not deploy a kind Argo CD's resource.exclusions exclude (Argo CD 3.x excludes Endpoints, EndpointSlice, Lease and others by default).",
    defaultSeverity: 'warning',
    category: 'argocd',
    scope: 'repository',
    docs: {
      why: `Argo CD neither applies nor watches a resource that argocd-cm \`resource.exclusions\` match (or that
\`resource.inclusions\` leave out). Since Argo CD ${ARGO_FACTS.defaultResourceExclusions.since} the install manifests exclude by default
${ARGO_FACTS.defaultResourceExclusions.exclusions.flatMap((entry) => entry.kinds).join(', ')}:
an Endpoints object written next to a selector-less Service, for example, is silently never synced
(Argo CD shows an ExcludedResourceWarning). The repository's own argocd-cm, when it carries one, is
read instead of the defaults.`,
      fix: `For an external endpoint use an ExternalName Service, or remove the kind from \`resource.exclusions\`
in argocd-cm; otherwise delete the manifest.`,
    },
    examples: {
      bad: `# file: argocd/legacy.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: legacy, namespace: argocd}
spec:
  project: shop
  source: {repoURL: https://github.com/acme/gitops.git, path: apps/legacy, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop}
# file: apps/legacy/db.yaml
apiVersion: v1
kind: Service
metadata: {name: legacy-db, namespace: shop}
spec: {ports: [{port: 5432}]}
---
apiVersion: v1
kind: Endpoints   # excluded by Argo CD 3.x: never synced
metadata: {name: legacy-db, namespace: shop}
subsets: [{addresses: [{ip: 10.0.0.5}], ports: [{port: 5432}]}]`,
      good: `# file: argocd/legacy.yaml
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: legacy, namespace: argocd}
spec:
  project: shop
  source: {repoURL: https://github.com/acme/gitops.git, path: apps/legacy, targetRevision: main}
  destination: {server: https://kubernetes.default.svc, namespace: shop}
# file: apps/legacy/db.yaml
apiVersion: v1
kind: Service
metadata: {name: legacy-db, namespace: shop}
spec: {type: ExternalName, externalName: db.legacy.example.com}`,
    },
  },
  check({ repo, report }) {
    const model = argoModel(repo);
    const crds = clusterScopedCRDs(repo);
    const reported = new Set<string>();
    const where =
      model.settings.files.length > 0
        ? `argocd-cm (${model.settings.files.join(', ')})`
        : `the default argocd-cm of Argo CD ${ARGO_FACTS.defaultResourceExclusions.since}+`;
    for (const app of model.applications) {
      const cluster = resolvedDestination(model, app.object).server ?? '';
      for (const { resource } of appliedResources(repo, model, app, crds)) {
        const group = groupOf(resource.object.apiVersion);
        const kind = resource.object.kind ?? '';
        if (!isExcludedResource(model.settings, group, kind, cluster)) continue;
        const key = `${app.name} ${resource.origin.file}:${resource.origin.line ?? 0}`;
        if (reported.has(key)) continue;
        reported.add(key);
        report({
          resource,
          path: [],
          message: `${kind} ${resource.object.metadata?.name ?? ''} is never applied by ${describeApplication(app)}: ${where} excludes ${group || 'core'}/${kind}`,
          hint: 'Argo CD neither syncs nor watches excluded kinds (ExcludedResourceWarning); remove the manifest or the exclusion',
          ...(app.env ? { env: app.env } : {}),
        });
      }
    }
  },
});
