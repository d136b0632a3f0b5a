// kubeconform-style schema locations: folders and URL templates, tried in order, with an on-disk
// cache for downloaded schemas so a run with a warm cache never touches the network.
import { createHash } from 'node:crypto';
// eslint-disable-next-line no-restricted-imports -- downloads live in the user's cache folder, never the checkout's
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kindSuffix } from './names.ts';
import { trimEndChar } from '../safe/text.ts';

/** The values kubeconform substitutes into a schema location template. */
export interface TemplateValues {
  ResourceKind: string;
  ResourceAPIVersion: string;
  Group: string;
  KindSuffix: string;
  NormalizedKubernetesVersion: string;
  StrictSuffix: string;
}

export function templateValues(kind: string, apiVersion: string, kubernetesVersion: string): TemplateValues {
  const groupParts = apiVersion.split('/');
  const version = kubernetesVersion.replace(/^v/, '');
  return {
    ResourceKind: kind.toLowerCase(),
    ResourceAPIVersion: groupParts[groupParts.length - 1],
    Group: groupParts.length > 1 ? groupParts[0] : '',
    KindSuffix: kindSuffix(apiVersion),
    NormalizedKubernetesVersion: version === 'master' ? version : `v${version}`,
    StrictSuffix: '-strict',
  };
}

/** Replaces `{{.Name}}` and `{{ .Name }}`; an unknown name is left as is, so the error shows it. */
export function expandTemplate(template: string, values: TemplateValues): string {
  return template.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (whole, name: string) =>
    name in values ? values[name as keyof TemplateValues] : whole,
  );
}

/** A location without a template is a folder in schemas/'s flat layout. */
export function locationTemplate(location: string): string {
  if (location.includes('{{')) return location;
  return `${trimEndChar(location, '/')}/{{.ResourceKind}}{{.KindSuffix}}.json`;
}

export function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** A local path for a location that is a folder, a file path or a file:// URL; relative paths from `base`. */
export function localPath(location: string, base: string): string {
  if (/^file:\/\//i.test(location)) return fileURLToPath(location);
  return path.resolve(base, location);
}

/**
 * Downloaded schemas, stored by a hash of their URL in `dir` (data, never code), or only in memory
 * when there is no usable cache folder: a cache that cannot be written is never a reason to fail.
 */
export class UrlCache {
  private readonly memory = new Map<string, string>();

  constructor(readonly dir: string | undefined) {}

  pathFor(url: string): string | undefined {
    return this.dir && path.join(this.dir, `${createHash('sha256').update(url).digest('hex').slice(0, 32)}.json`);
  }

  /** The cached text, or `undefined` when absent; a cached 404 is the empty string. */
  read(url: string): string | undefined {
    const remembered = this.memory.get(url);
    if (remembered !== undefined) return remembered;
    const file = this.pathFor(url);
    if (!file) return undefined;
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return fs.existsSync(`${file}.missing`) ? '' : undefined;
    }
  }

  /** Downloads `url` into the cache unless it is there. A 404 is remembered; other failures throw. */
  async fetch(url: string): Promise<string> {
    const cached = this.read(url);
    if (cached !== undefined) return cached;
    const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (response.status === 404) {
      this.remember(url, '', '.missing');
      return '';
    }
    if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}`);
    const text = await response.text();
    this.remember(url, text, '');
    return text;
  }

  private remember(url: string, text: string, suffix: string): void {
    this.memory.set(url, text);
    const file = this.pathFor(url);
    if (!file) return;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(`${file}${suffix}.${process.pid}.tmp`, suffix ? '' : text);
      fs.renameSync(`${file}${suffix}.${process.pid}.tmp`, `${file}${suffix}`);
    } catch {
      // An unwritable cache: the download is kept in memory for this run.
    }
  }
}
