// JUnit XML for CI test dashboards: a testsuite per app, a testcase per rule and resource, a failure
// for each testcase with an error. Warnings and infos do not fail the run, so they do not fail a test
// either: they are the passing testcase's system-out, where dashboards show them as output. Only
// findings are known here, so a clean run is one passing testcase rather than a list of every check.
import type { Finding, Report } from '../types.ts';
import { appsFact, compareText, oneLine, position, resourceLabel, sortFindings } from './common.ts';

interface TestCase {
  name: string;
  findings: Finding[];
}

export function formatJunit(report: Report): string {
  const suites = groupIntoSuites(sortFindings(report.findings));
  const seconds = (report.summary.durationMs / 1000).toFixed(3);
  const failingCases = (cases: TestCase[]) => cases.filter(isFailure).length;
  const total = [...suites.values()].reduce((sum, cases) => sum + cases.length, 0);
  const failures = [...suites.values()].reduce((sum, cases) => sum + failingCases(cases), 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(report.tool.name)}" tests="${Math.max(total + (report.summary.partlyChecked > 0 ? 1 : 0), 1)}" failures="${failures}" errors="0" time="${seconds}">`,
  ];
  if (suites.size === 0) {
    lines.push(`  <testsuite name="${attr(report.tool.name)}" tests="1" failures="0" errors="0" skipped="0">`);
    lines.push(`    <testcase classname="${attr(report.tool.name)}" name="no findings"/>`);
    lines.push('  </testsuite>');
  }
  if (report.summary.partlyChecked > 0) {
    // Apps kustomize could not render offline were checked only in part: skipped, as a dashboard shows it.
    const name = `${report.tool.name} render`;
    lines.push(`  <testsuite name="${attr(name)}" tests="1" failures="0" errors="0" skipped="1">`);
    lines.push(`    <testcase classname="${attr(name)}" name="apps checked whole">`);
    lines.push(
      `      <skipped message="${attr(`${appsFact(report.summary)}: a remote base, helmCharts, a plugin or a Helm source kept them from rendering offline; only their local files were checked`)}"/>`,
    );
    lines.push('    </testcase>');
    lines.push('  </testsuite>');
  }
  for (const [suite, cases] of suites) {
    lines.push(
      `  <testsuite name="${attr(suite)}" tests="${cases.length}" failures="${failingCases(cases)}" errors="0" skipped="0">`,
    );
    for (const testCase of cases) for (const line of formatTestCase(suite, testCase)) lines.push(line);
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

/** suite (the app, or the file for findings outside any app) → testcases (rule × resource, or rule × file). */
function groupIntoSuites(findings: Finding[]): Map<string, TestCase[]> {
  const suites = new Map<string, Map<string, TestCase>>();
  for (const finding of findings) {
    const suite = finding.app ?? finding.file;
    const name = `${finding.ruleId} ${resourceLabel(finding.resource) || finding.file}${finding.env ? ` (${finding.env})` : ''}`;
    const cases = suites.get(suite) ?? new Map<string, TestCase>();
    const testCase = cases.get(name) ?? { name, findings: [] };
    testCase.findings.push(finding);
    cases.set(name, testCase);
    suites.set(suite, cases);
  }
  return new Map(
    [...suites.entries()]
      .sort(([a], [b]) => compareText(a, b))
      .map(([suite, cases]) => [suite, [...cases.values()].sort((a, b) => compareText(a.name, b.name))]),
  );
}

function isFailure(testCase: TestCase): boolean {
  return testCase.findings.some((finding) => finding.severity === 'error');
}

function formatTestCase(suite: string, testCase: TestCase): string[] {
  const first = testCase.findings[0];
  const open = `    <testcase classname="${attr(suite)}" name="${attr(testCase.name)}" file="${attr(first.file)}"${first.line ? ` line="${first.line}"` : ''}`;
  const details = testCase.findings.map(describe).join('\n');
  if (!isFailure(testCase)) return [`${open}>`, `      <system-out>${text(details)}</system-out>`, '    </testcase>'];
  const firstError = testCase.findings.find((finding) => finding.severity === 'error') ?? first;
  return [
    `${open}>`,
    `      <failure type="${attr(`${first.ruleId} error`)}" message="${attr(oneLine(firstError.message))}">${text(details)}</failure>`,
    '    </testcase>',
  ];
}

function describe(finding: Finding): string {
  const where = `${finding.file}${position(finding) ? `:${position(finding)}` : ''}`;
  const hint = finding.hint ? ` Hint: ${oneLine(finding.hint)}` : '';
  return `${where} ${finding.severity} ${oneLine(finding.message)}${hint}`;
}

/** Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) become U+FFFD. */
function xmlSafe(value: string): string {
  return value.replace(
    // eslint-disable-next-line no-control-regex -- exactly the characters XML cannot carry
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  );
}

function text(value: string): string {
  return xmlSafe(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}
