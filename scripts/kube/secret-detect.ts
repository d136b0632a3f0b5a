// Recognising credentials in plain text. Every detector returns what it found as a *kind* ("a
// GitHub token"), never the value: findings must not carry secrets into CI logs.
import { credentialPattern } from './credential-patterns.ts';
import { hasEnclosed, isLineTerminator, isRegExpSpace, schemeStart } from '../safe/text.ts';

interface Detector {
  kind: string;
  pattern: { test(text: string): boolean };
}

const SERVICE_ACCOUNT_TYPE = /"type"\s*:\s*"service_account"/;

/** A `"type": "service_account"`, then anywhere after it a `"private_key"`. */
export function isServiceAccountKey(text: string): boolean {
  const type = SERVICE_ACCOUNT_TYPE.exec(text);
  return type !== null && text.includes('"private_key"', type.index + type[0].length);
}

// Formats secretlint's recommended preset (kube/credential-patterns.ts, which knows the tokens of
// GitHub, GitLab, Slack, cloud and AI providers...) leaves out: a private key block even when it is
// cut short, AWS access key ids (secretlint reports only secret keys by default), GCP service account
// key files with any key text, and Google API keys.
const DETECTORS: Detector[] = [
  {
    kind: 'a private key',
    pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/,
  },
  { kind: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  // /"type"\s*:\s*"service_account"[\s\S]*"private_key"/ started again at every "type": quadratic
  { kind: 'a GCP service account key', pattern: { test: isServiceAccountKey } },
  { kind: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
];

/** A well-known credential format in `text`: secretlint's patterns, then the few above. */
function knownFormat(text: string): string | undefined {
  return credentialPattern(text) ?? DETECTORS.find((detector) => detector.pattern.test(text))?.kind;
}

/** The text a base64 value stands for, when it looks like base64 and decodes to printable text. */
function decodedBase64(value: string): string | undefined {
  const v = value.trim();
  if (v.length < 24 || v.length > 65536 || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return undefined;
  const text = Buffer.from(v, 'base64').toString('utf8');
  // mostly printable: not binary data that happens to be base64
  const printable = text.replace(/[^\x20-\x7e\t\r\n]/g, '').length;
  return printable >= text.length * 0.95 ? text : undefined;
}

/** `[^\s:/@]`: a URL user's characters. */
const isUserChar = (code: number) => code !== 0x3a && code !== 0x2f && code !== 0x40 && !isRegExpSpace(code);
/** `[^\s/@]`: a URL password's characters. */
const isPasswordChar = (code: number) => code !== 0x2f && code !== 0x40 && !isRegExpSpace(code);

/**
 * `scheme://user:password@host`: what `/\b([a-z][a-z0-9+.-]*):\/\/([^\s:/@]*):([^\s/@]+)@[^\s/]/i`
 * finds first (index, match, scheme, user, password), in linear time. The regex tried the scheme from
 * every letter of a long run of scheme characters and read the run to its end each time; here each
 * `://` is found once, what follows it is read up to the next `://` at most, and the scheme is read
 * back from it. Whatever follows a `://` does not depend on where the scheme starts, so the first
 * `://` with a valid rest and a scheme before it gives the leftmost match.
 */
export function urlWithPassword(
  value: string,
): { index: number; match: string; scheme: string; user: string; password: string } | undefined {
  const n = value.length;
  for (let slashes = value.indexOf('://'); slashes >= 0; slashes = value.indexOf('://', slashes + 1)) {
    const user = slashes + 3;
    let colon = user;
    while (colon < n && isUserChar(value.charCodeAt(colon))) colon++;
    if (value.charCodeAt(colon) !== 0x3a) continue;
    let at = colon + 1;
    while (at < n && isPasswordChar(value.charCodeAt(at))) at++;
    if (at === colon + 1 || value.charCodeAt(at) !== 0x40 || at + 1 >= n) continue;
    const host = value.charCodeAt(at + 1);
    if (host === 0x2f || isRegExpSpace(host)) continue;
    const start = schemeStart(value, slashes);
    if (start < 0) continue;
    return {
      index: start,
      match: value.slice(start, at + 2),
      scheme: value.slice(start, slashes),
      user: value.slice(user, colon),
      password: value.slice(colon + 1, at),
    };
  }
  return undefined;
}

/** Field names that say "this is a credential". */
const SECRET_NAME =
  /(passw(or)?d|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|auth[_-]?key|client[_-]?secret)/i;
/** Names that only refer to a credential (where it lives, whether it is on) rather than hold one. */
const REFERENCE_NAME =
  /(_?(file|path|dir|url|uri|endpoint|name|ref|key_?id|enabled|enable|required|length|ttl|expiry|expiration|header|type|mode|host|port|user(name)?))$/i;
const PASSWORD_NAME = /(passw(or)?d|passwd|pwd)/i;

/** Values that stand for a credential without being one: templating, env references, examples. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return (
    v === '' ||
    /^\$\(?\{?[A-Za-z_][A-Za-z0-9_.]*\}?\)?$/.test(v) || // $VAR, ${VAR}, $(VAR)
    hasEnclosed(v, '{{', '}}', isLineTerminator) || // Go / Helm / Argo CD templating: /\{\{.*\}\}/, linear
    /^<[^>]*>$/.test(v) || // <password>
    /^(\*+|x+|X+|\.{3}|changeme|change-me|replace-?me|redacted|none|null|nil|true|false|yes|no|on|off|example|dummy|secret|password|token)$/i.test(
      v,
    ) ||
    /^(REPLACE|CHANGE|YOUR|TODO|FIXME)[_-]/i.test(v)
  );
}

/**
 * Values a shell or a template computes when it runs: command substitution (`$(oc get secret ...)`,
 * backticks), parameter expansion (`${PASSWORD:-}`, `$TOKEN`). They are code, not literals.
 */
export function isComputed(value: string): boolean {
  return /\$\(|`|\$\{|\$[A-Za-z_]/.test(value);
}

/** Bits of entropy per character: random tokens score about 4 and above, words and paths below 3.5. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * What kind of credential `value` holds, or undefined. `name` is the field or variable name the value
 * sits under (an env var, a ConfigMap key, an annotation), when there is one; `inCode` says the value
 * is an assignment read from a line of a script or config file rather than a field of its own.
 */
export function detectSecret(value: string, name?: string, options: { inCode?: boolean } = {}): string | undefined {
  // A line of a script or config file is part of a text whose whole value is scanned for formats already.
  if (!options.inCode) {
    const format = knownFormat(value);
    if (format) return format;
    const decoded = decodedBase64(value);
    const hidden = decoded === undefined ? undefined : knownFormat(decoded);
    if (hidden) return `${hidden} (base64-encoded)`;
  }
  const url = urlWithPassword(value);
  if (url && !isPlaceholder(url.password) && !isPlaceholder(decodeSafe(url.password)))
    return `a ${url.scheme.toLowerCase()}:// connection string with a password`;
  if (
    name &&
    SECRET_NAME.test(name) &&
    !REFERENCE_NAME.test(name) &&
    !isPlaceholder(value) &&
    !isComputed(value) &&
    !looksLikeReference(value) &&
    // in a script or config file, a value with spaces is prose (PASSWORD="not set"), not a credential
    !(options.inCode && /\s/.test(value.trim()))
  ) {
    // A password is a secret whatever it looks like; other secret-looking names need a random-looking value.
    if (PASSWORD_NAME.test(name) && value.trim().length >= 4) return `a literal password under "${name}"`;
    const v = value.trim();
    if (v.length >= 16 && !/\s/.test(v) && shannonEntropy(v) >= 3.5) return `a high-entropy value under "${name}"`;
  }
  return undefined;
}

/** Paths, URLs without credentials, numbers and booleans are settings, not secrets. */
export function looksLikeReference(value: string): boolean {
  const v = value.trim();
  return /^(\/|\.\/|~\/|file:)/.test(v) || /^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(v) || /^-?\d+(\.\d+)?$/.test(v);
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
