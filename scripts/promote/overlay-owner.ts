// A kustomize overlay as the owner of the values, in a repository gitops.yaml does not describe: the
// `images` entry (and `replicas` entry) of a service's overlay kustomization. The overlay is found by the
// usual layouts (overlays/<env>/<service>, <service>/overlays/<env>, apps/<service>/overlays/<env>,
// envs/<env>/<service>, <env>/<service>) or given with --overlay. Resources and config live in patches
// there, which have no one shape to edit: those are refused.
import { posix } from 'node:path';
import { sameImage, type Field, type ImageRef } from './changes.ts';
import { EditRefused, YamlEditor } from './yaml-edit.ts';
import { trimEndChar } from '../safe/text.ts';
import { isPlainRepoFile, readRepoFile } from '../safe/files.ts';

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const LAYOUTS = [
  'overlays/{env}/{service}',
  '{service}/overlays/{env}',
  'apps/{service}/overlays/{env}',
  'envs/{env}/{service}',
  '{env}/{service}',
];
const MAX_BYTES = 1024 * 1024;

export interface OverlayFile {
  /** Relative to the root, forward slashes. */
  path: string;
  text: string;
}

/** The kustomization file of `service` in `env`: the given folder, or the first usual layout that exists. */
export function findOverlay(root: string, service: string, env: string, folder?: string): OverlayFile {
  const folders = folder
    ? [trimEndChar(posix.normalize(folder.replace(/\\/g, '/')), '/')]
    : LAYOUTS.map((layout) => layout.replace('{env}', env).replace('{service}', service));
  for (const candidate of folders) {
    if (candidate.startsWith('..') || posix.isAbsolute(candidate)) continue;
    for (const name of KUSTOMIZATION_NAMES) {
      const path = candidate === '.' ? name : `${candidate}/${name}`;
      // A link (the file, or a folder of its path) is not edited: it may point anywhere.
      if (!isPlainRepoFile(root, path)) continue;
      const read = readRepoFile(root, path, { maxBytes: MAX_BYTES });
      if (!read.ok && read.reason === 'too-large')
        throw new EditRefused(`${path} is larger than 1 MiB: edit it by hand`);
      if (!read.ok) continue;
      return { path, text: read.text };
    }
  }
  throw new EditRefused(
    folder
      ? `${folder} has no kustomization file (or it is a link): pass the folder of ${service}'s overlay for ${env}`
      : `found no overlay of ${service} for ${env} (looked in ${folders.join(', ')}). Pass --overlay <folder>`,
  );
}

interface ImageEntry {
  index: number;
  name: string;
  newTag?: string;
  digest?: string;
}

function imageEntries(data: unknown): ImageEntry[] {
  const images = (data as { images?: unknown })?.images;
  if (!Array.isArray(images)) return [];
  return images.flatMap((entry, index) => {
    const image = entry as { name?: unknown; newTag?: unknown; digest?: unknown };
    return typeof image?.name === 'string'
      ? [
          {
            index,
            name: image.name,
            ...(typeof image.newTag === 'string' || typeof image.newTag === 'number'
              ? { newTag: String(image.newTag) }
              : {}),
            ...(typeof image.digest === 'string' ? { digest: image.digest } : {}),
          },
        ]
      : [];
  });
}

/** The service's images entry: the one named by --image, else the one whose last path part is the service, else the only one. */
function entryFor(overlay: OverlayFile, data: unknown, service: string, imageName?: string): ImageEntry | undefined {
  const entries = imageEntries(data);
  if (imageName) return entries.find((entry) => entry.name === imageName);
  const named = entries.filter((entry) => posix.basename(entry.name) === service);
  if (named.length === 1) return named[0];
  if (named.length === 0 && entries.length === 1) return entries[0];
  if (entries.length === 0) return undefined;
  throw new EditRefused(
    `${overlay.path} has ${entries.length} images entries (${entries.map((entry) => entry.name).join(', ')}) and none is clearly ${service}'s: pass --image <name>`,
  );
}

export function overlayImage(overlay: OverlayFile, service: string, imageName?: string): ImageRef & { name?: string } {
  const entry = entryFor(overlay, new YamlEditor(overlay.text, overlay.path).data(), service, imageName);
  return entry ? { name: entry.name, tag: entry.newTag, digest: entry.digest } : {};
}

export function overlayReplicas(overlay: OverlayFile, service: string): number | undefined {
  const replicas = (new YamlEditor(overlay.text, overlay.path).data() as { replicas?: unknown })?.replicas;
  if (!Array.isArray(replicas)) return undefined;
  const entry = replicas.find((item) => (item as { name?: unknown })?.name === service) as
    { count?: unknown } | undefined;
  return typeof entry?.count === 'number' ? entry.count : undefined;
}

export function refuseField(field: Field, overlay: OverlayFile): void {
  if (field === 'resources' || field === 'config')
    throw new EditRefused(
      `${overlay.path}: ${field} live in patches and generators in a kustomize overlay, which have no one shape to copy; only image and replicas are promoted between overlays. Change ${field} by hand`,
    );
}

/** The overlay's text with the image set: the entry's newTag or digest edited in place, or an entry added. */
export function setOverlayImage(overlay: OverlayFile, service: string, image: ImageRef, imageName?: string): string {
  const editor = new YamlEditor(overlay.text, overlay.path);
  const entry = entryFor(overlay, editor.data(), service, imageName);
  const before: ImageRef = entry ? { tag: entry.newTag, digest: entry.digest } : {};
  if (entry && sameImage(before, image)) return overlay.text;
  if (!entry) {
    if (!imageName)
      throw new EditRefused(
        `${overlay.path} has no images entry for ${service}: pass --image <name> (the image as the base writes it) to add one`,
      );
    const item = { name: imageName, ...(image.digest ? { digest: image.digest } : { newTag: image.tag }) };
    if (Array.isArray((editor.data() as { images?: unknown }).images)) editor.append(['images'], item);
    else editor.set(['images'], [item]);
  } else {
    const at = ['images', entry.index];
    if (image.digest) {
      if (entry.digest !== undefined) editor.set([...at, 'digest'], image.digest);
      else if (entry.newTag !== undefined) editor.rename([...at, 'newTag'], 'digest', image.digest);
      else editor.set([...at, 'digest'], image.digest);
    } else if (entry.digest !== undefined && entry.newTag === undefined) {
      editor.rename([...at, 'digest'], 'newTag', image.tag as string);
    } else {
      editor.set([...at, 'newTag'], image.tag as string);
      if (entry.digest !== undefined) editor.delete([...at, 'digest']);
    }
  }
  return editor.text;
}

export function setOverlayReplicas(overlay: OverlayFile, service: string, count: number): string {
  const editor = new YamlEditor(overlay.text, overlay.path);
  const replicas = (editor.data() as { replicas?: unknown }).replicas;
  const index = Array.isArray(replicas)
    ? replicas.findIndex((item) => (item as { name?: unknown })?.name === service)
    : -1;
  if (index >= 0) editor.set(['replicas', index, 'count'], count);
  else if (Array.isArray(replicas)) editor.append(['replicas'], { name: service, count });
  else editor.set(['replicas'], [{ name: service, count }]);
  return editor.text;
}
