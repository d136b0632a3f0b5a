// The files a service's `configFiles` mount (application.yml, logback.xml): read from next to
// gitops.yaml through the one safe file reader (inside the folder, regular files, links kept inside,
// size-capped), so a gitops.yaml cannot pull /etc/shadow or a device into a ConfigMap.
import { describeFileProblem, readRepoFile } from '../safe/files.ts';
import type { JsonPath } from '../types.ts';
import type { ServiceConfig } from './types.ts';

/** A ConfigMap holds at most 1 MiB; one file may take half of it. */
export const MAX_CONFIG_FILE_BYTES = 512 * 1024;

type Fail = (path: JsonPath, message: string) => never;

export function readConfigFiles(
  service: ServiceConfig,
  dir: string | undefined,
  at: (rest: JsonPath) => JsonPath,
  fail: Fail,
): ServiceConfig {
  if (!service.configFiles || service.configFiles.length === 0 || dir === undefined) return service;
  const configFiles = service.configFiles.map((file, index) => {
    const where = at(['configFiles', index, 'from']);
    const result = readRepoFile(dir, file.from, { maxBytes: MAX_CONFIG_FILE_BYTES });
    if (!result.ok) {
      const why =
        result.reason === 'too-large'
          ? `is larger than ${MAX_CONFIG_FILE_BYTES / 1024} KiB`
          : describeFileProblem(result);
      fail(
        where,
        `service "${service.name}": cannot use "${file.from}" as a config file: it ${why}. Give a file inside gitops.yaml's folder`,
      );
    }
    return { ...file, content: (result as { text: string }).text };
  });
  return { ...service, configFiles };
}
