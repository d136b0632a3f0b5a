// "Did you mean": the known names closest to a mistyped one, by edit distance. Used for rule ids,
// command-line options and kustomization fields. Small enough that a library would cost more than it saves.
import { compareText } from './finding-order.ts';

/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

export interface SuggestOptions {
  /** At most this many names (default 3). */
  max?: number;
  /** The largest distance that still counts as a typo (default: 2, or a third of the name for long names). */
  maxDistance?: (candidate: string) => number;
  /** A name containing the typed word counts too ("replicas" finds "replicas-minimum"). */
  substrings?: boolean;
}

/** The candidates closest to `word` (case-insensitive), nearest first, ties in name order. */
export function closestNames(word: string, candidates: Iterable<string>, options: SuggestOptions = {}): string[] {
  const typed = word.toLowerCase();
  const limit = options.maxDistance ?? ((candidate: string) => Math.max(2, Math.floor(candidate.length / 3)));
  const scored: { name: string; distance: number }[] = [];
  for (const name of new Set(candidates)) {
    const distance = editDistance(typed, name.toLowerCase());
    if (distance <= limit(name) || (options.substrings && typed.length > 0 && name.toLowerCase().includes(typed)))
      scored.push({ name, distance });
  }
  return scored
    .sort((a, b) => a.distance - b.distance || compareText(a.name, b.name))
    .slice(0, options.max ?? 3)
    .map((entry) => entry.name);
}

/** ` (did you mean "a" or "b"?)`, or '' when nothing is close. */
export function didYouMean(names: readonly string[]): string {
  return names.length ? ` (did you mean ${names.map((name) => `"${name}"`).join(' or ')}?)` : '';
}
