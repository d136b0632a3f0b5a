// Stand-ins until the filter and report stages land on main (scripts/filter, scripts/report).
// They keep the pipeline usable: per-rule `off` and severity overrides, --quiet, json lines.
import type { Finding, RepoContext, Report, ReportFormat, RuleSetting, SeverityOverride } from '../types.ts';

function settingFor(setting: RuleSetting | undefined, env: string | undefined): SeverityOverride | undefined {
  if (!setting) return undefined;
  if (typeof setting === 'string') return setting;
  return (env ? setting.env?.[env] : undefined) ?? setting.severity;
}

export function applyFilters(findings: Finding[], ctx: RepoContext, options: { baselineFile?: string; quiet?: boolean }): { findings: Finding[]; suppressed: number } {
  const rules = ctx.config?.lint?.rules ?? {};
  const kept: Finding[] = [];
  let suppressed = 0;
  for (const finding of findings) {
    const override = settingFor(rules[finding.ruleId], finding.env);
    if (override === 'off') {
      suppressed++;
      continue;
    }
    const adjusted = override ? { ...finding, severity: override } : finding;
    if (options.quiet && adjusted.severity !== 'error') continue;
    kept.push(adjusted);
  }
  return { findings: kept, suppressed };
}

export function formatReport(format: ReportFormat, report: Report): string {
  if (format === 'json') return JSON.stringify({ findings: report.findings, summary: report.summary }, null, 2);
  const lines = report.findings.map((f) => `${f.file}${f.line ? `:${f.line}` : ''}  ${f.severity}  ${f.message}  ${f.ruleId}`);
  const s = report.summary;
  lines.push(`${s.errors} errors, ${s.warnings} warnings, ${s.infos} infos; ${s.apps} apps, ${s.resources} resources (${s.durationMs} ms)`);
  return lines.join('\n');
}
