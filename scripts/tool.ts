// The tool's own files and facts, wherever it runs from. A checkout runs scripts/*.ts through tsx; the
// installed package runs the JavaScript bundle in dist/ (chunks in dist/chunks/). Paths to what ships
// beside the code (schemas/, package.json) and to the code itself (the rules folders the registry reads)
// come from here, never from `..` counted from a file's own place, which differs between the two.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

function packageRootOf(dir: string): string {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, 'package.json'))) return current;
    if (dirname(current) === current) throw new Error(`no package.json above ${dir}: the tool's files are incomplete`);
  }
}

/** The folder holding the tool's package.json and schemas/. */
export const toolRoot = packageRootOf(dirname(here));

/** True when running the compiled package (dist/), false when running the TypeScript sources. */
export const isCompiled = !here.endsWith('.ts');

/** Where the code is: scripts/ (TypeScript) or dist/ (the package's JavaScript). */
export const codeRoot = join(toolRoot, isCompiled ? 'dist' : 'scripts');

/** The extension of the code's own modules: `.ts` from a checkout, `.js` in the package. */
export const codeExtension = isCompiled ? '.js' : '.ts';

export interface ToolInfo {
  /** The command's name in reports (SARIF driver, JUnit suites). */
  name: string;
  /** The npm package's name: `npx <package> validate`. */
  packageName: string;
  version: string;
  /** Where to learn about the tool (SARIF informationUri). */
  homepage: string;
  /** The rule documentation (docs/rules.md of this version); a rule's id is the fragment (SARIF helpUri). */
  rulesUri: string;
}

let info: ToolInfo | undefined;

/** The facts package.json holds, read once. */
export function toolInfo(): ToolInfo {
  if (info) return info;
  const pkg = JSON.parse(readFileSync(join(toolRoot, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    homepage?: string;
  };
  const homepage = pkg.homepage ?? `https://www.npmjs.com/package/${pkg.name}`;
  info = {
    name: 'gitops',
    packageName: pkg.name,
    version: pkg.version,
    homepage,
    // docs/rules.md ships in the package: the copy of the version that made the findings.
    rulesUri: `https://unpkg.com/${pkg.name}@${pkg.version}/docs/rules.md`,
  };
  return info;
}
