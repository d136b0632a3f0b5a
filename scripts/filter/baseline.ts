// The baseline: the findings a repository had when it adopted the linter. With a baseline, only new
// findings are reported. Entries are fingerprints (see fingerprint.ts) with counts, so one more
// finding of a kind already present is still new.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { readInItsRepository } from '../config/read.ts';
import { describeFileProblem } from '../safe/files.ts';
import { describeRef, type Finding } from '../types.ts';
import { fingerprintOf, normaliseMessage } from './fingerprint.ts';
import { compareText as compare } from '../finding-order.ts';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  /** The fields below are for people reviewing the file; matching uses only the fingerprint. */
  ruleId: string;
  file: string;
  env: string | null;
  resource: string | null;
  message: string;
  count: number;
}

export interface BaselineFile {
  version: number;
  findings: BaselineEntry[];
}

/** Entries sorted by file, rule and fingerprint, so the file is byte-identical for the same findings. */
export function baselineOf(findings: readonly Finding[]): BaselineFile {
  const entries = new Map<string, BaselineEntry>();
  for (const finding of findings) {
    const fingerprint = fingerprintOf(finding);
    const entry = entries.get(fingerprint);
    if (entry) {
      entry.count++;
      continue;
    }
    entries.set(fingerprint, {
      fingerprint,
      ruleId: finding.ruleId,
      file: finding.file,
      env: finding.env ?? null,
      resource: finding.resource ? describeRef(finding.resource) : null,
      message: normaliseMessage(finding.message),
      count: 1,
    });
  }
  const sorted = [...entries.values()].sort(
    (a, b) => compare(a.file, b.file) || compare(a.ruleId, b.ruleId) || compare(a.fingerprint, b.fingerprint),
  );
  return { version: BASELINE_VERSION, findings: sorted };
}

export function writeBaseline(file: string, findings: Finding[], root: string): void {
  const absolute = resolve(root, file);
  mkdirSync(dirname(absolute), { recursive: true });
  writeFileSync(absolute, `${JSON.stringify(baselineOf(findings), null, 2)}\n`);
}

/** A baseline of 500,000 findings is about 75 MB. */
const MAX_BASELINE_BYTES = 256 * 1024 * 1024;

/** fingerprint → how many findings with it the baseline accepts. */
export function readBaseline(file: string, root: string): Map<string, number> {
  const absolute = resolve(root, file);
  const shown = relative(root, absolute).split('\\').join('/') || file;
  if (!existsSync(absolute)) {
    throw new InputError(`baseline file not found; create it with --update-baseline`, shown);
  }
  // Committed beside the manifests, so the repository's like any file: a link to a device or out of the
  // checkout is refused (JSON's error below would quote what it read).
  const read = readInItsRepository(absolute, MAX_BASELINE_BYTES);
  if (!read.ok)
    throw new InputError(`baseline ${describeFileProblem(read)}; regenerate it with --update-baseline`, shown);
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch (error) {
    throw new InputError(
      `baseline is not valid JSON (${(error as Error).message}); regenerate it with --update-baseline`,
      shown,
    );
  }
  const baseline = parsed as Partial<BaselineFile> | null;
  if (
    !baseline ||
    typeof baseline !== 'object' ||
    baseline.version !== BASELINE_VERSION ||
    !Array.isArray(baseline.findings)
  ) {
    throw new InputError(
      `not a version ${BASELINE_VERSION} baseline ({ "version": ${BASELINE_VERSION}, "findings": [...] }); regenerate it with --update-baseline`,
      shown,
    );
  }
  const counts = new Map<string, number>();
  baseline.findings.forEach((entry, index) => {
    if (!entry || typeof entry.fingerprint !== 'string') {
      throw new InputError(
        `findings[${index}] has no fingerprint; regenerate the baseline with --update-baseline`,
        shown,
      );
    }
    const count = Number.isInteger(entry.count) && entry.count > 0 ? entry.count : 1;
    counts.set(entry.fingerprint, (counts.get(entry.fingerprint) ?? 0) + count);
  });
  return counts;
}

/** Splits findings into those the baseline accepts and the new ones; each baseline entry is used up to its count. */
export function subtractBaseline(
  findings: readonly Finding[],
  baseline: ReadonlyMap<string, number>,
): { fresh: Finding[]; known: number } {
  const remaining = new Map(baseline);
  const fresh: Finding[] = [];
  let known = 0;
  for (const finding of findings) {
    const fingerprint = fingerprintOf(finding);
    const left = remaining.get(fingerprint) ?? 0;
    if (left > 0) {
      remaining.set(fingerprint, left - 1);
      known++;
    } else {
      fresh.push(finding);
    }
  }
  return { fresh, known };
}
