// `gitops set-image` and `gitops promote`: change what an environment runs in the file that owns the
// value, keeping every other byte (yaml-edit.ts). gitops.yaml owns the values of the services it declares
// (then the generated files are regenerated, so the render follows); elsewhere the service's overlay
// kustomization does. The result is validated against the state before, and a new error in an edited
// environment exits 1. --dry-run prints the diffs and writes nothing.
import { existsSync, lstatSync, openSync, closeSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseConfig } from '../config/index.ts';
import type { GitopsConfig } from '../config/types.ts';
import { unifiedDiff } from '../generate/diff.ts';
import { generate, planRepository, applyPlan, type Override } from '../generate/index.ts';
import { findOverrides } from '../generate/overrides.ts';
import { OutputRoot } from '../generate/output.ts';
import { appendAll } from '../lists.ts';
import type { Finding } from '../types.ts';
import { describeImage, sameImage, summary, type Change, type Field, type ImageRef } from './changes.ts';
import { editGitopsYaml, imageChange, promotionChanges } from './gitops-owner.ts';
import {
  findOverlay,
  overlayImage,
  overlayReplicas,
  refuseField,
  setOverlayImage,
  setOverlayReplicas,
  type OverlayFile,
} from './overlay-owner.ts';
import { newFindings, environmentErrors } from './verify.ts';
import { EditRefused } from './yaml-edit.ts';
import { describeFileProblem, isPlainRepoFile } from '../safe/files.ts';
import { readInItsRepository } from '../config/read.ts';

export { EditRefused } from './yaml-edit.ts';
export { FIELDS, type Field, type ImageRef } from './changes.ts';

export interface FileEdit {
  /** Relative to the root. */
  path: string;
  before: string;
  after: string;
}

export interface EditPlan {
  title: string;
  root: string;
  changes: Change[];
  files: FileEdit[];
  /** Set when gitops.yaml changes: the generated files follow it. */
  configFile?: string;
  /** The environments whose errors are compared. */
  envs: string[];
}

interface Repository {
  root: string;
  configFile?: string;
  config?: GitopsConfig;
  text?: string;
}

export function openRepository(root: string, configFile?: string): Repository {
  const file = configFile ?? join(root, 'gitops.yaml');
  if (!existsSync(file)) {
    if (configFile) throw new EditRefused(`${configFile} does not exist`);
    return { root };
  }
  // Like any file of the repository it may be a link to a device or out of the checkout.
  const read = readInItsRepository(file);
  if (!read.ok) throw new EditRefused(`${displayPath(dirname(file), file)} ${describeFileProblem(read)}`);
  const { text } = read;
  return { root: dirname(file), configFile: file, text, config: parseConfig(text, displayPath(dirname(file), file)) };
}

function displayPath(root: string, file: string): string {
  return relative(root, file) || file;
}

function declares(repo: Repository, service: string): boolean {
  return repo.config?.services.some((candidate) => candidate.name === service) ?? false;
}

/** A people's overlay that sets the value itself would keep gitops.yaml's change from reaching the render. */
function refuseOverridden(repo: Repository, changes: Change[]): void {
  if (!repo.config) return;
  const overrides: Override[] = findOverrides(new OutputRoot(repo.root), repo.config);
  for (const change of changes) {
    const folder = `overlays/${change.env}/${change.service}/`;
    const hit = overrides.find((override) => override.file.startsWith(folder));
    if (hit)
      throw new EditRefused(
        `${hit.file}:${hit.line}: ${hit.message}. While it does, a change in gitops.yaml does not reach ${change.service} in ${change.env}: fix that first`,
      );
  }
}

function gitopsPlan(repo: Repository, title: string, changes: Change[], envs: string[]): EditPlan {
  const file = displayPath(repo.root, repo.configFile as string);
  if (changes.length === 0) return { title, root: repo.root, changes, files: [], envs };
  refuseOverridden(repo, changes);
  const after = editGitopsYaml(repo.text as string, file, changes);
  return {
    title,
    root: repo.root,
    changes,
    files: [{ path: file, before: repo.text as string, after }],
    configFile: repo.configFile,
    envs,
  };
}

export function planSetImage(options: {
  root: string;
  configFile?: string;
  service: string;
  env: string;
  image: ImageRef;
  overlay?: string;
  imageName?: string;
}): EditPlan {
  const repo = openRepository(options.root, options.configFile);
  const title = `Set the image of ${options.service} in ${options.env} to ${describeImage(options.image)}`;
  if (declares(repo, options.service) && !options.overlay) {
    const changes = imageChange(repo.config as GitopsConfig, options.service, options.env, options.image);
    return gitopsPlan(repo, title, changes, [options.env]);
  }
  const overlay = findOverlay(repo.root, options.service, options.env, options.overlay);
  const before = overlayImage(overlay, options.service, options.imageName);
  if (sameImage(before, options.image)) return { title, root: repo.root, changes: [], files: [], envs: [options.env] };
  const after = setOverlayImage(overlay, options.service, options.image, options.imageName);
  return {
    title,
    root: repo.root,
    changes: [
      {
        service: options.service,
        env: options.env,
        field: 'image',
        from: describeImage(before),
        to: describeImage(options.image),
        value: options.image,
      },
    ],
    files: [{ path: overlay.path, before: overlay.text, after }],
    envs: [options.env],
  };
}

export function planPromotion(options: {
  root: string;
  configFile?: string;
  from: string;
  to: string;
  services: string[];
  fields: Field[];
}): EditPlan {
  const repo = openRepository(options.root, options.configFile);
  const title = `Promote ${options.from} to ${options.to}`;
  if (repo.config) {
    const undeclared = options.services.filter((service) => !declares(repo, service));
    if (undeclared.length === 0)
      return gitopsPlan(
        repo,
        title,
        promotionChanges(repo.config, options.from, options.to, options.services, options.fields),
        [options.to],
      );
    if (undeclared.length < options.services.length)
      throw new EditRefused(
        `${undeclared.join(', ')} ${undeclared.length === 1 ? 'is' : 'are'} not in gitops.yaml and the others are: promote them in two runs`,
      );
  }
  if (options.services.length === 0)
    throw new EditRefused('there is no gitops.yaml listing the services: name the services to promote');
  const changes: Change[] = [];
  const files = new Map<string, FileEdit>();
  for (const service of options.services) {
    const source = findOverlay(repo.root, service, options.from);
    const target = findOverlay(repo.root, service, options.to);
    const edit = files.get(target.path) ?? { path: target.path, before: target.text, after: target.text };
    const current: OverlayFile = { path: target.path, text: edit.after };
    for (const field of options.fields) {
      refuseField(field, source);
      if (field === 'image') {
        const want = overlayImage(source, service);
        const have = overlayImage(current, service, want.name);
        if (!want.name) throw new EditRefused(`${source.path} has no images entry for ${service}: nothing to promote`);
        if (sameImage(want, have)) continue;
        const image = want.digest ? { digest: want.digest } : { tag: want.tag };
        current.text = setOverlayImage(current, service, image, want.name);
        changes.push({
          service,
          env: options.to,
          field,
          from: describeImage(have),
          to: describeImage(image),
          value: image,
        });
      } else if (field === 'replicas') {
        const want = overlayReplicas(source, service);
        const have = overlayReplicas(current, service);
        if (want === undefined || want === have) continue;
        current.text = setOverlayReplicas(current, service, want);
        changes.push({
          service,
          env: options.to,
          field,
          from: String(have ?? '(base)'),
          to: String(want),
          value: want,
        });
      }
    }
    edit.after = current.text;
    files.set(target.path, edit);
  }
  return {
    title,
    root: repo.root,
    changes,
    files: [...files.values()].filter((file) => file.before !== file.after),
    envs: [options.to],
  };
}

export interface CarryOutResult {
  code: number;
  /** What to print on stdout: diffs (dry run), then the PR summary. */
  output: string;
  /** Errors the edited environments did not have before. */
  newErrors: Finding[];
}

export async function carryOut(
  plan: EditPlan,
  options: { dryRun?: boolean; validate?: boolean },
): Promise<CarryOutResult> {
  const text = summary(`## ${plan.title}`, plan.changes);
  if (plan.changes.length === 0) return { code: 0, output: text, newErrors: [] };
  if (options.dryRun) {
    const diffs = plan.files.map((file) => unifiedDiff(file.path, file.before, file.after));
    if (plan.configFile) {
      const config = parseConfig(plan.files[0].after, plan.files[0].path, { dir: plan.root });
      const regenerated = applyPlan(plan.root, planRepository(config), { check: true });
      appendAll(
        diffs,
        regenerated.changed.map((file) => file.diff ?? ''),
      );
    }
    return { code: 0, output: `${diffs.join('')}\n${text}`, newErrors: [] };
  }
  const before = options.validate === false ? [] : await environmentErrors(plan.root, plan.envs);
  for (const file of plan.files) writeInPlace(plan.root, file);
  if (plan.configFile) generate(plan.configFile, plan.root);
  const after = options.validate === false ? [] : await environmentErrors(plan.root, plan.envs);
  const added = newFindings(before, after);
  return { code: added.length > 0 ? 1 : 0, output: text, newErrors: added };
}

/** Replaces the file atomically, refusing a link (it may point out of the repository). */
function writeInPlace(root: string, file: FileEdit): void {
  const target = join(root, file.path);
  if (!isPlainRepoFile(root, file.path))
    throw new EditRefused(
      `${file.path} is not a regular file of the repository (a link, or in a linked folder?): edit it by hand`,
    );
  if (readFileSync(target, 'utf8') !== file.before)
    throw new EditRefused(`${file.path} changed while the edit was prepared: run again`);
  const temp = `${target}.tmp-${process.pid}`;
  try {
    unlinkSync(temp);
  } catch {
    // none
  }
  const fd = openSync(temp, 'wx', lstatSync(target).mode & 0o777);
  try {
    writeSync(fd, file.after);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, target);
}
