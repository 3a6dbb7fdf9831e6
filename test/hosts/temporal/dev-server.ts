/**
 * A real Temporal server for the tests: the Temporal CLI's development server
 * (sim/hosts/temporal/dev-server.ts), the CLI from .tools/bin/temporal, which
 * `bash scripts/install-servers.sh` installs. A missing binary is an error
 * naming the install command, never a skip.
 */
import {
  startDevServer as startServer,
  temporalCliPath,
  TEMPORAL_CLI_INSTALL,
  type DevServer,
} from '../../../sim/hosts/temporal/dev-server.js';
import { TOOLS_BIN } from '../../support/servers.js';

export type { DevServer };

/** `toolsBin` and `searchPath` stand in for .tools/bin and PATH (to test the missing case). */
export async function startDevServer(
  opts: { readonly toolsBin?: string; readonly searchPath?: string } = {},
): Promise<DevServer> {
  const exe = temporalCliPath(opts.toolsBin ?? TOOLS_BIN, opts.searchPath);
  try {
    return await startServer(exe);
  } catch (error) {
    throw new Error(`${String(error)}\nIf the server is not installed: ${TEMPORAL_CLI_INSTALL}`, { cause: error });
  }
}
