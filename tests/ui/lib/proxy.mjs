// The real mcpproxy binary for the UI test: a fresh data dir, agent tokens, a management listener
// and one stdio upstream (server-everything), every port chosen by the kernel (port file).
import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const EVERYTHING_SERVER = join(
  REPO_ROOT, 'tests/e2e/node_modules/@modelcontextprotocol/server-everything/dist/index.js');

export function proxyBinary() {
  return resolve(REPO_ROOT, process.env.MCPPROXY_BIN || 'build/debug/bin/mcpproxy');
}

/** Polls `probe` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export async function waitFor(what, probe, { timeoutMs = 20000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      if (error.fatal) throw error;
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Starts mcpproxy; returns { mainUrl, managementUrl, adminKey, dataDir, logs(), stop() }. */
export async function startProxy() {
  const dir = await mkdtemp(join(tmpdir(), 'mcpproxy-ui-'));
  const dataDir = join(dir, 'data');
  const configPath = join(dir, 'config.json');
  const portFile = join(dir, 'ports.json');
  const config = {
    routing_mode: 'direct',
    mcpServers: [{ name: 'everything', command: process.execPath, args: [EVERYTHING_SERVER, 'stdio'] }],
  };
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const args = ['serve', '--config', configPath, '--data-dir', dataDir, '--plugin', 'auth-agent-token',
    '--listen', '127.0.0.1:0', '--management-listen', '127.0.0.1:0', '--port-file', portFile];
  const child = spawn(proxyBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => output.push(chunk));
  }
  let exit = null;
  const exited = new Promise((done) => child.once('exit', (code, signal) => { exit = { code, signal }; done(exit); }));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const handle = {
    dataDir,
    logs: () => `mcpproxy ${args.join(' ')}\n${output.join('')}`,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (!exit) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
        await exited;
        clearTimeout(timer);
      }
      if (!process.env.KEEP_UI_TMP) await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    const ports = await waitFor('the port file', async () => {
      if (exit) throw Object.assign(new Error(`mcpproxy exited (${JSON.stringify(exit)})`), { fatal: true });
      return existsSync(portFile) && JSON.parse(await readFile(portFile, 'utf8'));
    });
    handle.mainUrl = `http://${ports.listeners.main}`;
    handle.managementUrl = `http://${ports.listeners.management}`;
    const { stdout } = await promisify(execFile)(proxyBinary(), ['admin-key', 'show', '--data-dir', dataDir]);
    handle.adminKey = stdout.trim();
    if (!handle.adminKey) throw new Error('admin-key show printed nothing');
  } catch (error) {
    error.message += `\n--- mcpproxy output ---\n${handle.logs()}`;
    await handle.stop();
    throw error;
  }
  return handle;
}

/** A management API call with the admin key. */
export async function adminApi(proxy, path, init = {}) {
  const response = await fetch(`${proxy.managementUrl}/api/v1/${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${proxy.adminKey}`, ...(init.headers || {}) },
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** A minimal MCP Streamable HTTP client for one session, with an agent token. */
export class McpClient {
  constructor(url, token) {
    this.url = url;
    this.token = token;
    this.sessionId = null;
    this.protocolVersion = null;
    this.nextId = 1;
  }

  async post(message) {
    const headers = {
      Authorization: `Bearer ${this.token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
    };
    if (this.sessionId) headers['Mcp-Session-Id'] = this.sessionId;
    if (this.protocolVersion) headers['MCP-Protocol-Version'] = this.protocolVersion;
    const response = await fetch(this.url, { method: 'POST', headers, body: JSON.stringify(message) });
    const text = await response.text();
    let body = null;
    if (text.startsWith('{')) body = JSON.parse(text);
    else if (text.includes('data:')) {
      const data = text.split('\n').filter((l) => l.startsWith('data:')).pop();
      body = JSON.parse(data.slice(5));
    }
    return { status: response.status, headers: response.headers, body };
  }

  async initialize() {
    const res = await this.post({
      jsonrpc: '2.0', id: this.nextId++, method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'ui-test', version: '1' } },
    });
    if (res.status === 200) {
      this.sessionId = res.headers.get('mcp-session-id');
      this.protocolVersion = res.body.result.protocolVersion;
      await this.post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    }
    return res;
  }

  callTool(name, args = {}) {
    return this.post({ jsonrpc: '2.0', id: this.nextId++, method: 'tools/call', params: { name, arguments: args } });
  }
}
