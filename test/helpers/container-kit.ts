/**
 * Whether a Docker-compatible API is available for the container tests: on these
 * machines, the shared container kit (.ci/run sets it up and exports its env).
 * Returns the reason to skip, printed by the tests, or undefined when usable.
 */
import { existsSync } from 'node:fs';

/** Image the container tests start: the kit's local image (nothing can be pulled here). */
export const KIT_IMAGE = process.env.LEDGER_BENCH_CONTAINER_IMAGE;

export function containerSkipReason(): string | undefined {
  const host = process.env.DOCKER_HOST;
  if (!host) return 'DOCKER_HOST is not set (no Docker engine; set up ../shared/tools/container-kit and source its env, as .ci/run does)';
  if (host.startsWith('unix://') && !existsSync(host.slice('unix://'.length))) return `DOCKER_HOST socket ${host} does not exist (container kit not running)`;
  if (!KIT_IMAGE) return 'LEDGER_BENCH_CONTAINER_IMAGE is not set (the container kit exports its local image name)';
  return undefined;
}
