// The tool's own files and facts, wherever it runs from. The installed package runs the JavaScript tsc
// wrote into dist/; a checkout runs scripts/*.ts compiled by esbuild into node_modules/.cache/gitops/<hash>/
// (bin/checkout-build.js), or through tsx (tests, the fallback). Paths to what ships beside the code
// (schemas/, package.json) come from here, never from `..` counted from a file's own place, which differs
// between the three.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
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

/**
 * True in a checkout of the tool (its scripts/ is there, whatever runs them), false in the installed
 * package, which ships dist/ only: the maintainers' commands (`gitops schemas`, `gitops bench`) need a checkout.
 */
export const isCheckout = existsSync(join(toolRoot, 'scripts', 'cli', 'entry.ts'));

/** The extension of the code's own modules: `.ts` (tsx), `.mjs` (a checkout's compiled tree), `.js` (dist/). */
export const codeExtension = extname(here);

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
