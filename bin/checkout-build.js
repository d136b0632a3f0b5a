// How a checkout of the tool starts fast without ever running stale code: scripts/*.ts compiled to
// JavaScript by esbuild, one output module per source module (the same layout, so the rule registry's
// folder scan and every path counted from a module's own place work unchanged), into a folder named by
// a hash of every file under scripts/ (and of this file, tsconfig.json and esbuild's version). What you edit is what
// runs: an edit changes the hash, and the next start compiles again (about a second for the whole tree)
// before running anything. The folder lives in the checkout's own node_modules/.cache/gitops/: code
// there is as trusted as node_modules itself (whoever can write it can already change ajv), never a
// shared or temporary folder (see docs/architecture.md, "Start-up"). Not shipped: the package runs dist/.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
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
 * The file URL of the compiled `cli/entry.mjs` for the sources as they are now, compiling them first when
 * this tree has not been compiled yet. Throws when it cannot (no esbuild, a read-only checkout): the caller
 * then runs the sources through tsx.
 */
export async function compiledEntry() {
  const files = sourceFiles();
  const out = join(cacheRoot, treeHash(files));
  if (!existsDir(out)) await compile(files, out);
  return pathToFileURL(join(out, 'cli', 'entry.mjs')).href;
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
    renameSync(temp, out);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    // Another process finished the same tree first: its folder is the same code.
    if (!existsDir(out)) throw error;
  }
  removeStaleTrees(out);
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
