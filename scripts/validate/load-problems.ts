// The pipeline rules (rules/) report what loading recorded in RepoContext.loadProblems.
import type { ContextOf } from '../check/contract.ts';
import type { LoadProblem } from '../types.ts';

export function reportLoadProblems(ruleId: LoadProblem['ruleId'], { repo, report }: ContextOf['repository']): void {
  for (const problem of repo.loadProblems ?? []) {
    if (problem.ruleId !== ruleId) continue;
    report({
      message: problem.message,
      location: {
        file: problem.file,
        ...(problem.line !== undefined ? { line: problem.line } : {}),
        ...(problem.column !== undefined ? { column: problem.column } : {}),
      },
      ...(problem.app !== undefined ? { app: problem.app } : {}),
      ...(problem.env !== undefined ? { env: problem.env } : {}),
      ...(problem.severity !== undefined ? { severity: problem.severity } : {}),
    });
  }
}
