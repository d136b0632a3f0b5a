// How a checkout of the tool starts fast without ever running stale code: scripts/*.ts compiled to
// JavaScript by esbuild into a folder named by a hash of every file under scripts/ (and of this file,
// tsconfig.json and esbuild's version), twice: one output module per source module (the same layout, so
// the tests' loader can hand a test the tool's own modules, test/loader/), and in bundle/ the command
// as a few chunks, which `node bin/gitops.js` runs: loading 314 modules one by one (resolve, read,
// link each) cost a start about 130 ms, a third of a small validate (docs/architecture.md, "Start-up").
// What you edit is what runs: an edit changes the hash, and the next start compiles again (about a
// second) before running anything. The folder lives in the checkout's own node_modules/.cache/gitops/: code
// there is as trusted as node_modules itself (whoever can write it can already change ajv), never a
// shared or temporary folder (see docs/architecture.md, "Start-up"). Not shipped: the package runs dist/.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const toolRoot = fileURLToPath(new URL('..', import.meta.url));
const scripts = join(toolRoot, 'scripts');
const cacheRoot = join(toolRoot, 'node_modules', '.cache', 'gitops');
/** Folders of other source trees are removed once this old (a process still running one keeps working). */
const STALE_MS = 60 * 60 * 1000;

/** Every file under scripts/, sorted: what the hash covers (a .ts file, or anything a module reads). */
function sourceFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(scripts);
  return files.sort();
}

function esbuildPackage() {
  return createRequire(join(toolRoot, 'package.json')).resolve('esbuild/package.json');
}

/** The folder name for this source tree: sha256 over paths and contents. */
function treeHash(files) {
  const hash = createHash('sha256');
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  hash.update(readFileSync(esbuildPackage()));
  hash.update(readFileSync(join(toolRoot, 'tsconfig.json')));
  for (const file of files) hash.update(`\0${relative(scripts, file)}\0`).update(readFileSync(file));
  return hash.digest('hex').slice(0, 32);
}

/**
 * The compiled folder for the sources as they are now, compiling them first when this tree has not been
 * compiled yet. Throws when it cannot (no esbuild, a read-only checkout): the caller then runs the sources
 * through tsx.
 */
export async function compiledTree() {
  const files = sourceFiles();
  const out = join(cacheRoot, treeHash(files));
  if (!existsDir(out)) await compile(files, out);
  // Its real path: Node names a module by it, so the tests' loader (which maps scripts/ to this folder)
  // and the tree's own imports agree on one copy of each module when node_modules is a link.
  return realpathSync(out);
}

/** The file URL of the bundled command (`bundle/cli/entry.mjs`) of `compiledTree()`. */
export async function compiledEntry() {
  return pathToFileURL(join(await compiledTree(), 'bundle', 'cli', 'entry.mjs')).href;
}

function existsDir(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function compile(files, out) {
  const { build } = await import(esbuildPackage().replace(/package\.json$/, 'lib/main.js'));
  mkdirSync(cacheRoot, { recursive: true, mode: 0o700 });
  // Compiled into a private temporary folder beside the final one, then renamed: a folder with the
  // tree's name is always complete, and two processes compiling at once both end with the same result.
  const temp = mkdtempSync(join(cacheRoot, '.tmp-'));
  try {
    await build({
      entryPoints: files.filter((file) => file.endsWith('.ts')),
      outbase: scripts,
      outdir: temp,
      outExtension: { '.js': '.mjs' },
      // Each module compiled alone: `bundle` only so the plugin below sees every import and rewrites it.
      bundle: true,
      packages: 'external',
      plugins: [relativeImportsStayModules],
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'linked',
      logLevel: 'silent',
    });
    await bundle(build, join(temp, 'bundle'), '.mjs');
    renameSync(temp, out);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    // Another process finished the same tree first: its folder is the same code.
    if (!existsDir(out)) throw error;
  }
  removeStaleTrees(out);
}

/**
 * The command (cli/entry) and the library API (index) as entry modules over shared chunks (chunks/),
 * written below `outdir` in the sources' layout for those two: the chunks sit one folder below the
 * root, as cli/entry does, so code that counts a folder from its own place (diff/side.ts) or looks for
 * package.json above it (tool.ts) finds the same in every layout. Packages stay imports. The package's
 * build (`npm run build`, `forPackage`) leaves the maintainers' bench out: `gitops bench` stops
 * before importing it there (it needs a checkout), and dist/ ships no code for it.
 */
export async function bundle(build, outdir, extension, { forPackage = false } = {}) {
  await build({
    entryPoints: [join(scripts, 'cli', 'entry.ts'), join(scripts, 'index.ts')],
    outbase: scripts,
    outdir,
    outExtension: { '.js': extension },
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[hash]',
    packages: 'external',
    plugins: [bundledRulesPlugin, ...(forPackage ? [benchLeftOut] : [])],
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    // The package's maps name the TypeScript lines without carrying the sources (2 MB less in dist/).
    sourcesContent: !forPackage,
    logLevel: 'silent',
  });
}

/** cli/main.ts's import of the bench, in the package: an import of a module that is not shipped. */
const benchLeftOut = {
  name: 'bench-left-out',
  setup(build) {
    build.onResolve({ filter: /^\.\/bench\.ts$/ }, (args) =>
      args.importer === join(scripts, 'cli', 'main.ts')
        ? { path: './bench-not-shipped.js', external: true }
        : undefined,
    );
  },
};

/** The rules folders, read from registry.ts (its RULE_FOLDERS), so the two cannot disagree. */
export function ruleFolders() {
  const source = readFileSync(join(scripts, 'check', 'registry.ts'), 'utf8');
  const list = /export const RULE_FOLDERS = \[([^\]]*)\]/.exec(source);
  if (!list)
    throw new Error('scripts/check/registry.ts: no `export const RULE_FOLDERS = [...]` to read the rules folders from');
  // One folder per line, its comment after it: the first quoted text of each line.
  return [...list[1].matchAll(/^\s*'([^']+)',/gm)].map((match) => match[1]);
}

/**
 * scripts/check/bundled-rules.ts, in a bundle: a static import of every rule file the registry's scan
 * would find (every .ts file under each rules folder, sorted), so a rule added as a file is bundled too.
 */
const bundledRulesPlugin = {
  name: 'bundled-rules',
  setup(build) {
    build.onLoad({ filter: /[\\/]scripts[\\/]check[\\/]bundled-rules\.ts$/ }, () => {
      const imports = [];
      const folders = ruleFolders().map((folder) => {
        const entries = ruleSources(join(scripts, folder)).map((file) => {
          imports.push(`import * as m${imports.length} from ${JSON.stringify(file)};`);
          return `{ where: ${JSON.stringify(relative(scripts, file).split('\\').join('/'))}, module: m${imports.length - 1} }`;
        });
        return `[${JSON.stringify(folder)}, [${entries.join(', ')}]]`;
      });
      return {
        contents: `${imports.join('\n')}\nexport const bundledRuleModules = new Map([${folders.join(', ')}]);\n`,
        loader: 'js',
        resolveDir: join(scripts, 'check'),
      };
    });
  },
};

/** The .ts files under `folder`, sorted as registry.ts's ruleFiles sorts them (by full path). */
function ruleSources(folder) {
  const files = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...ruleSources(path));
    else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files.sort();
}

/** `./x.ts` stays an import of another module, `./x.mjs`, instead of being bundled in. */
const relativeImportsStayModules = {
  name: 'relative-imports-stay-modules',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => ({
      path: args.path.replace(/\.ts$/, '.mjs'),
      external: true,
    }));
  },
};

function removeStaleTrees(keep) {
  const now = Date.now();
  for (const name of readdirSync(cacheRoot)) {
    const path = join(cacheRoot, name);
    if (path === keep) continue;
    try {
      if (now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed by another process meanwhile
    }
  }
}

// Last, once every helper above is defined.
/** `node bin/checkout-build.js --package <dir>`: the package's bundle (`npm run build`), `.js` modules in <dir>. */
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2] === '--package') {
  const { build } = await import(esbuildPackage().replace(/package\.json$/, 'lib/main.js'));
  await bundle(build, process.argv[3], '.js', { forPackage: true });
}
