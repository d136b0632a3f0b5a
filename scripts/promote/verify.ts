// The validator before and after an edit: the errors the edited environments did not have before. A
// promotion that brings a new error into prod exits 1, so the pull request says so before Argo CD does.
import type { Finding } from '../types.ts';
import { validateRepository } from '../validate/index.ts';

export async function environmentErrors(root: string, envs: string[]): Promise<Finding[]> {
  const { report } = await validateRepository(root);
  return report.findings.filter((finding) => finding.severity === 'error' && finding.env && envs.includes(finding.env));
}

/** Findings of `after` that `before` does not have (lines may move: they are compared without them). */
export function newFindings(before: Finding[], after: Finding[]): Finding[] {
  const key = (finding: Finding) =>
    JSON.stringify([
      finding.ruleId,
      finding.env,
      finding.app,
      finding.file,
      finding.message,
      finding.resource?.kind,
      finding.resource?.namespace,
      finding.resource?.name,
    ]);
  const seen = new Map<string, number>();
  for (const finding of before) seen.set(key(finding), (seen.get(key(finding)) ?? 0) + 1);
  return after.filter((finding) => {
    const count = seen.get(key(finding)) ?? 0;
    if (count > 0) {
      seen.set(key(finding), count - 1);
      return false;
    }
    return true;
  });
}
