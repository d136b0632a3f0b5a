// Well-known credential formats, from secretlint's recommended rule preset (a maintained library of
// patterns: cloud keys, VCS, chat, AI and package-registry tokens, database connection strings...),
// run synchronously through its public rule API: each rule's `create(context)` gives a `file(source)`
// handler that reports ranges. Only the rule that matched is kept, never the matched text or
// secretlint's message (which quotes the value): findings name a kind of credential.
import { rules } from '@secretlint/secretlint-rule-preset-recommend';

/** What each rule finds, for messages; rules not listed here are "a <name> credential". */
const KINDS: Record<string, string> = {
  aws: 'an AWS secret access key',
  gcp: 'a GCP service account key',
  privatekey: 'a private key',
  npm: 'an npm token',
  slack: 'a Slack token or webhook URL',
  sendgrid: 'a SendGrid API key',
  shopify: 'a Shopify token',
  github: 'a GitHub token',
  gitlab: 'a GitLab token',
  grafana: 'a Grafana token',
  openai: 'an OpenAI API key',
  anthropic: 'an Anthropic API key',
  huggingface: 'a Hugging Face token',
  'hashicorp-vault': 'a HashiCorp Vault token',
  docker: 'a Docker registry credential',
  '1password': 'a 1Password service account token',
};

/**
 * The preset's rules that scan for credentials. Left out: filter-comments (it only reads
 * `secretlint-disable` comments), and basicauth and database-connection-string: URLs with a password
 * are kube/secret-detect.ts's, which knows that `postgresql://app:$(DB_PASSWORD)@db` is a reference.
 */
const LEFT_OUT = ['filter-comments', 'basicauth', 'database-connection-string'];
const SCANNERS = rules.filter(
  (rule) => rule.meta.type === 'scanner' && !LEFT_OUT.some((name) => rule.meta.id.endsWith(`-${name}`)),
);

let matched: string | undefined;
const context = {
  sharedOptions: {},
  // secretlint's translator formats a message from its messages table; only the fact of a report matters here
  createTranslator: () => (messageId: string) => ({ message: messageId, messageId }),
  report: () => {
    matched ??= current;
  },
  ignore: () => {},
};
let current: string | undefined;
const handlers = SCANNERS.map((rule) => {
  const name = rule.meta.id.replace(/^@secretlint\/secretlint-rule-/, '');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the rules' context type is secretlint's own
  return { kind: KINDS[name] ?? `a ${name} credential`, handler: rule.create(context as any, {}) };
});

/**
 * Answers already given, by text: manifests repeat most of their strings (apiVersions, kinds, label
 * values, images), and a text runs some twenty rules of regular expressions. Bounded: short texts
 * only, and forgotten all at once when full (the answers depend on the text alone).
 */
const answers = new Map<string, string | null>();
const MAX_REMEMBERED = 20_000;
const MAX_REMEMBERED_LENGTH = 256;

/** The kind of well-known credential `text` contains, or undefined. */
export function credentialPattern(text: string): string | undefined {
  if (text.length > MAX_REMEMBERED_LENGTH) return scan(text);
  const known = answers.get(text);
  if (known !== undefined) return known ?? undefined;
  const found = scan(text);
  if (answers.size >= MAX_REMEMBERED) answers.clear();
  answers.set(text, found ?? null);
  return found;
}

function scan(text: string): string | undefined {
  const source = {
    hasBOM: false,
    content: text,
    filePath: undefined,
    physicalFilePath: undefined,
    contentType: 'text' as const,
    ext: '',
    getFilePath: () => undefined,
    getPhysicalFilePath: () => undefined,
  };
  matched = undefined;
  for (const { kind, handler } of handlers) {
    current = kind;
    // every rule of the preset scans synchronously; a rule that ever turned asynchronous would only be skipped
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
    void handler.file?.(source as any);
    if (matched) break;
  }
  current = undefined;
  return matched;
}
