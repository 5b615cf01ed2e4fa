// Runs the real mcpproxy binary for a test: generated config in a fresh temp dir, ephemeral port
// read from the port file, ready once /healthz answers 200.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChildProcess, describeExit, FatalWaitError, waitFor } from './process.mjs';

/** Upper bound for one test file's suite, so a wedged proxy fails the run instead of hanging it. */
export const SUITE_TIMEOUT_MS = 180000;

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The binary under test: $MCPPROXY_BIN, else the debug preset's build output. */
export function proxyBinary() {
  return resolve(REPO_ROOT, process.env.MCPPROXY_BIN || 'build/debug/bin/mcpproxy');
}

/** A skip message when the binary is missing (the only reason to skip), else false. */
export function proxySkipReason() {
  const binary = proxyBinary();
  return existsSync(binary) ? false : `mcpproxy binary not found at ${binary} (build it or set MCPPROXY_BIN)`;
}

async function readPortFile(path) {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    // The proxy writes the file atomically (write + rename), so a partial file is a bug.
    throw new FatalWaitError(`port file ${path} is not valid JSON: ${error.message}`);
  }
}

/**
 * Starts mcpproxy. `mcpServers` and `routingMode` go into the config; `config` is merged on top.
 * `listen` is the main listener's address (default: an ephemeral loopback port).
 * Returns { url, baseUrl, address, dir, configPath, process, logs(), stop() }.
 */
export async function startProxy({ mcpServers, routingMode = 'direct', config = {}, extraArgs = [], listen = '127.0.0.1:0', timeoutMs = 20000 } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'mcpproxy-e2e-'));
  const configPath = join(dir, 'config.json');
  const portFile = join(dir, 'ports.json');
  const fullConfig = { listen, routing_mode: routingMode, mcpServers, ...config };
  await writeFile(configPath, `${JSON.stringify(fullConfig, null, 2)}\n`);

  const args = [
    'serve', '--config', configPath, '--data-dir', dir, '--listen', listen,
    '--port-file', portFile, '--log-level', 'debug', ...extraArgs,
  ];
  const child = new ChildProcess('mcpproxy', proxyBinary(), args, { cwd: dir });

  const handle = {
    dir,
    configPath,
    process: child,
    logs: () => `mcpproxy ${args.join(' ')}\nconfig: ${JSON.stringify(fullConfig)}\n${child.logs()}`,
    /** SIGTERM, SIGKILL after 10 s; removes the temp dir unless KEEP_E2E_TMP is set. */
    async stop() {
      const exit = await child.stop(10000);
      if (!process.env.KEEP_E2E_TMP) await rm(dir, { recursive: true, force: true });
      return exit;
    },
  };

  try {
    const ports = await waitFor('the port file', async () => {
      if (child.exit) throw new FatalWaitError(`mcpproxy exited before writing ${portFile} (${describeExit(child.exit)})`);
      return readPortFile(portFile);
    }, { timeoutMs });
    const address = ports?.listeners?.main;
    if (typeof address !== 'string' || !/^127\.0\.0\.1:\d+$/.test(address)) {
      throw new Error(`port file has no listeners.main address: ${JSON.stringify(ports)}`);
    }
    handle.address = address;
    handle.baseUrl = `http://${address}`;
    handle.url = `${handle.baseUrl}/mcp`;
    await waitFor(`${handle.baseUrl}/healthz == 200`, async () => {
      if (child.exit) throw new FatalWaitError(`mcpproxy exited (${describeExit(child.exit)})`);
      const response = await fetch(`${handle.baseUrl}/healthz`);
      await response.body?.cancel();
      return response.status === 200;
    }, { timeoutMs });
  } catch (error) {
    const logs = handle.logs();
    await handle.stop();
    error.message += `\n--- mcpproxy output ---\n${logs}`;
    throw error;
  }
  return handle;
}
