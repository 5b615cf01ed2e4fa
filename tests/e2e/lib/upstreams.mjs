// The upstream MCP servers the tests put behind the proxy, and their mcpServers config entries.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChildProcess } from './process.mjs';

const E2E_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export const HTTP_TEST_SERVER = join(E2E_DIR, 'upstreams', 'http-test-server.mjs');
export const STDIO_TEST_SERVER = join(E2E_DIR, 'upstreams', 'stdio-test-server.mjs');

/** dist/index.js of the installed server-everything (its package "bin"); first argument picks the transport. */
export const EVERYTHING_ENTRY = join(
  dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')),
  'dist',
  'index.js',
);

/** Config entry for server-everything over stdio: `node <EVERYTHING_ENTRY> stdio`. */
export function everythingStdio(name = 'everything') {
  return { name, command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'] };
}

/** Config entry for our own test upstream over stdio. */
export function testServerStdio(name) {
  return { name, command: process.execPath, args: [STDIO_TEST_SERVER] };
}

/** Config entry for a Streamable-HTTP upstream. */
export function httpUpstream(name, url, extra = {}) {
  return { name, url, ...extra };
}

/**
 * Starts our Streamable-HTTP test upstream on a free loopback port.
 * Returns { url, port, process, logs(), stop() }.
 */
export async function startHttpTestServer({ label = 'http-test-server', timeoutMs = 15000 } = {}) {
  const child = new ChildProcess(label, process.execPath, [HTTP_TEST_SERVER, '0']);
  const [, port] = await child.waitForLine(/^LISTENING (\d+)$/, timeoutMs);
  return {
    port: Number(port),
    url: `http://127.0.0.1:${port}/mcp`,
    process: child,
    logs: () => child.logs(),
    stop: () => child.stop(),
  };
}

/**
 * Starts server-everything in its Streamable-HTTP mode (for checking our client code against a
 * reference server; it listens on all interfaces at PORT and prints no machine-readable line).
 */
export async function startEverythingHttp(port, { timeoutMs = 15000 } = {}) {
  const child = new ChildProcess('everything-http', process.execPath, [EVERYTHING_ENTRY, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server-everything did not start\n${child.logs()}`)), timeoutMs);
    child.lineListeners.add((tag, line) => {
      if (line.includes('listening on port')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.exited.then(() => reject(new Error(`server-everything exited\n${child.logs()}`)));
  });
  return { url: `http://127.0.0.1:${port}/mcp`, process: child, logs: () => child.logs(), stop: () => child.stop() };
}
