// The `yaml` package, loaded on first use. Its 72 CommonJS files cost about 0.4x `node -e 0` of CPU to
// load, and most runs never need it: files in the block dialect go through the fast line parser
// (source.ts), and an empty folder reads no YAML at all (docs/architecture.md, "Start-up"). The
// modules that need only its types import them with `import type`, which loads nothing.
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

const require = createRequire(import.meta.url);
let loaded: typeof Yaml | undefined;

/** The `yaml` package (the same module instance an `import 'yaml'` gives). */
export function yamlPackage(): typeof Yaml {
  return (loaded ??= require('yaml') as typeof Yaml);
}
