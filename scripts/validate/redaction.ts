// The one redaction step of the pipeline: every finding passes through it before the filters, the
// baseline file and any format, and so do the --verbose lines and fault messages. A rule writes
// "never contains a secret's value" on its own findings; this step is what makes it hold when a
// message quotes something it should not (a kustomize error, an Argo CD repoURL with a token, a
// plugin's text): known Secret values of the repository and secret shapes go (scripts/safe/redact.ts).
import { redactor } from '../safe/redact.ts';
import type { Finding, RepoContext } from '../types.ts';

/**
 * Every value a rendered or loose Secret holds (as written and base64-decoded), except values that are
 * also the name of an object or a namespace here (DB_HOST=postgres): names are what findings are about.
 */
export function secretValuesOf(ctx: RepoContext): Set<string> {
  const values = new Set<string>();
  const names = new Set<string>();
  for (const app of ctx.apps) {
    for (const { object } of app.resources) {
      if (typeof object.metadata?.name === 'string') names.add(object.metadata.name);
      if (typeof object.metadata?.namespace === 'string') names.add(object.metadata.namespace);
      if (object.kind !== 'Secret') continue;
      for (const field of ['data', 'stringData'] as const) {
        const entries = object[field];
        if (!entries || typeof entries !== 'object') continue;
        for (const value of Object.values(entries as Record<string, unknown>)) {
          if (typeof value !== 'string' || value === '') continue;
          values.add(value);
          if (field === 'data') values.add(Buffer.from(value, 'base64').toString('utf8'));
        }
      }
    }
  }
  for (const name of names) values.delete(name);
  return values;
}

export interface Redactor {
  text(text: string): string;
  finding(finding: Finding): Finding;
}

/** The redactor for one run: known values from `ctx`, secret shapes everywhere. */
export function redactorFor(ctx: RepoContext): Redactor {
  const secrets = secretValuesOf(ctx);
  const text = redactor({ secrets });
  const redactMessage = repeatedTexts(text);
  return {
    text,
    // A finding nothing was redacted from stays the same object: no copy of every finding.
    finding: (finding) => {
      const message = redactMessage(finding.message);
      const hint = finding.hint === undefined ? undefined : text(finding.hint);
      if (message === finding.message && hint === finding.hint) return finding;
      return { ...finding, message, ...(hint !== undefined ? { hint } : {}) };
    },
  };
}

/**
 * `redact` for the messages of a run's findings. The engine gives the findings of one rule that
 * repeat a message the same string (check/finding.ts), and many findings of a large run repeat one
 * (35,000 of the 55,050 of the 10k loose bench): each distinct message is redacted once, a map
 * lookup in place of the secret forms' and shapes' scans. Bounded: it starts again when full.
 */
function repeatedTexts(redact: (text: string) => string, capacity = 4096): (text: string) => string {
  const redacted = new Map<string, string>();
  return (text) => {
    let out = redacted.get(text);
    if (out === undefined) {
      out = redact(text);
      if (redacted.size >= capacity) redacted.clear();
      redacted.set(text, out);
    }
    return out;
  };
}
