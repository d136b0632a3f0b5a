// gitops.yaml as the owner of the values: what an environment runs (the loader's view, templates and
// overrides merged), and the edits of the file that change it. A change is written on the service's own
// entry, under overrides.<env>, so a template shared with other services is never touched. After the
// edits, the file is loaded again and each change must read back as intended; otherwise (a template pins
// a digest, `names` expands one entry into several services) the edit is refused with the reason.
import { isDeepStrictEqual } from 'node:util';
import { parseConfig } from '../config/index.ts';
import type { GitopsConfig, ServiceConfig } from '../config/types.ts';
import { effective, environmentsOf } from '../generate/effective.ts';
import type { JsonPath } from '../types.ts';
import { describeImage, sameImage, type Change, type Field, type ImageRef } from './changes.ts';
import { EditRefused, YamlEditor } from './yaml-edit.ts';

export function serviceIn(config: GitopsConfig, name: string, env: string): ServiceConfig {
  const service = config.services.find((candidate) => candidate.name === name);
  if (!service)
    throw new EditRefused(
      `there is no service "${name}" in gitops.yaml (services: ${config.services.map((s) => s.name).join(', ')})`,
    );
  if (!config.environments.some((candidate) => candidate.name === env))
    throw new EditRefused(
      `there is no environment "${env}" in gitops.yaml (environments: ${config.environments.map((e) => e.name).join(', ')})`,
    );
  if (!environmentsOf(config, service).some((candidate) => candidate.name === env))
    throw new EditRefused(
      `service "${name}" does not run in ${env} (its environments: ${service.environments?.join(', ')})`,
    );
  return service;
}

function environment(config: GitopsConfig, env: string) {
  return config.environments.find((candidate) => candidate.name === env)!;
}

export function runningImage(config: GitopsConfig, service: ServiceConfig, env: string): ImageRef {
  const settings = effective(service, environment(config, env));
  return settings.imageDigest ? { tag: settings.imageTag, digest: settings.imageDigest } : { tag: settings.imageTag };
}

/** The value of `field` that `service` runs with in `env`, as gitops.yaml declares it. */
export function runningValue(config: GitopsConfig, service: ServiceConfig, env: string, field: Field): unknown {
  const settings = effective(service, environment(config, env));
  switch (field) {
    case 'image':
      return runningImage(config, service, env);
    case 'replicas':
      return settings.replicas;
    case 'resources':
      return settings.resources;
    case 'config':
      return { ...(service.config ?? {}), ...settings.configOverride };
  }
}

/** The changes that make `to` run what `from` runs, for the services and fields asked. */
export function promotionChanges(
  config: GitopsConfig,
  from: string,
  to: string,
  services: string[],
  fields: Field[],
): Change[] {
  const names =
    services.length > 0
      ? services
      : config.services
          .filter((service) => {
            const envs = environmentsOf(config, service).map((env) => env.name);
            return envs.includes(from) && envs.includes(to);
          })
          .map((service) => service.name);
  const changes: Change[] = [];
  for (const name of names) {
    const source = serviceIn(config, name, from);
    serviceIn(config, name, to);
    for (const field of fields) {
      const want = runningValue(config, source, from, field);
      const have = runningValue(config, source, to, field);
      if (field === 'image') {
        if (!sameImage(want as ImageRef, have as ImageRef))
          changes.push({
            service: name,
            env: to,
            field,
            from: describeImage(have as ImageRef),
            to: describeImage(want as ImageRef),
            value: want,
          });
      } else if (field === 'config') {
        const wanted = want as Record<string, string>;
        const had = have as Record<string, string>;
        for (const key of Object.keys(wanted).sort()) {
          if (wanted[key] !== had[key])
            changes.push({
              service: name,
              env: to,
              field,
              key,
              from: had[key] ?? '(unset)',
              to: wanted[key],
              value: wanted[key],
            });
        }
      } else if (!isDeepStrictEqual(want, have)) {
        changes.push({ service: name, env: to, field, from: show(have), to: show(want), value: want });
      }
    }
  }
  return changes;
}

export function imageChange(config: GitopsConfig, name: string, env: string, image: ImageRef): Change[] {
  const service = serviceIn(config, name, env);
  const have = runningImage(config, service, env);
  if (sameImage(have, image)) return [];
  return [{ service: name, env, field: 'image', from: describeImage(have), to: describeImage(image), value: image }];
}

function show(value: unknown): string {
  if (value && typeof value === 'object' && 'min' in value) {
    const replicas = value as { min: number; max: number };
    return replicas.min === replicas.max ? String(replicas.min) : `${replicas.min}-${replicas.max}`;
  }
  if (value && typeof value === 'object' && 'requests' in value) {
    const resources = value as { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
    return `cpu ${resources.requests.cpu}/${resources.limits.cpu}, memory ${resources.requests.memory}/${resources.limits.memory}`;
  }
  return String(value);
}

/** Index of the services[] entry that declares `name` alone; refuses an entry that expands `names`. */
function entryIndex(raw: unknown, name: string, file: string): number {
  const services = (raw as { services?: unknown[] })?.services ?? [];
  const index = services.findIndex((entry) => (entry as { name?: unknown })?.name === name);
  if (index >= 0) return index;
  const shared = services.findIndex((entry) => ((entry as { names?: unknown[] })?.names ?? []).includes(name));
  if (shared >= 0)
    throw new EditRefused(
      `${file}: service "${name}" is one of services[${shared}].names, which share one entry, so a value for it alone has nowhere to go. Give "${name}" its own entry (with the same extends), then run again`,
    );
  throw new EditRefused(`${file}: no services entry declares "${name}"`);
}

/** gitops.yaml with the changes written in, verified by loading it again. */
export function editGitopsYaml(text: string, file: string, changes: Change[]): string {
  const editor = new YamlEditor(text, file);
  for (const change of changes) {
    const index = entryIndex(editor.data(), change.service, file);
    const at: JsonPath = ['services', index, 'overrides', change.env];
    const own = ((editor.data() as { services: Record<string, unknown>[] }).services[index].overrides ?? {}) as Record<
      string,
      Record<string, unknown>
    >;
    if (change.field === 'image') {
      const image = change.value as ImageRef;
      if (image.digest) editor.set([...at, 'imageDigest'], image.digest);
      else {
        editor.set([...at, 'imageTag'], image.tag as string);
        if (own[change.env]?.imageDigest !== undefined) editor.delete([...at, 'imageDigest']);
      }
    } else if (change.field === 'config') {
      editor.set([...at, 'config', change.key as string], change.value as string);
    } else {
      editor.set([...at, change.field], change.value as Record<string, unknown>);
    }
  }
  const result = editor.text;
  verify(result, file, changes);
  return result;
}

function verify(text: string, file: string, changes: Change[]): void {
  const config = parseConfig(text, file);
  for (const change of changes) {
    const service = serviceIn(config, change.service, change.env);
    const now = runningValue(config, service, change.env, change.field);
    const ok =
      change.field === 'image'
        ? sameImage(now as ImageRef, change.value as ImageRef)
        : change.field === 'config'
          ? (now as Record<string, string>)[change.key as string] === change.value
          : isDeepStrictEqual(now, change.value);
    if (!ok)
      throw new EditRefused(
        `${file}: after the edit, ${change.service} in ${change.env} still does not run ${change.field === 'config' ? `${change.key}=` : ''}${change.to} (a template or another setting takes precedence). Change it by hand`,
      );
  }
}
