// Through "the tunnel": mcpproxy in tunnel mode with the tunnel-cloudflared plugin runs the fake
// cloudflared (tests/fakes), and the official SDK client connects to the fake's edge port, which
// forwards like Cloudflare's edge (Host = the trycloudflare hostname, Cf-* headers). An agent
// token is required; a tool call and a progress stream (SSE) make it through.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectClient, resultText } from '../lib/client.mjs';
import { dumpLogsOnFailure, withLogsOnError } from '../lib/diagnostics.mjs';
import { ChildProcess, FatalWaitError, describeExit, teardown, waitFor } from '../lib/process.mjs';
import { REPO_ROOT, proxyBinary, proxySkipReason, SUITE_TIMEOUT_MS } from '../lib/proxy.mjs';
import { everythingStdio } from '../lib/upstreams.mjs';

const skip = proxySkipReason();
const FAKES = join(REPO_ROOT, 'tests', 'fakes');

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

describe('through the fake Cloudflare edge', { timeout: SUITE_TIMEOUT_MS }, () => {
  let dir;
  let proxy;
  let secret;
  let edgeUrl;
  let state;
  let session;

  dumpLogsOnFailure(() => [proxy && { process: proxy }]);

  before(async () => {
    if (skip) return;
    dir = await mkdtemp(join(tmpdir(), 'mcpproxy-e2e-tunnel-'));
    await withLogsOnError(() => [proxy && { process: proxy }], async () => {
      const created = execFileSync(proxyBinary(), ['token', 'create', '--name', 'e2e-agent', '-o', 'json', '--data-dir', dir]);
      secret = JSON.parse(created.toString()).token;
      const config = {
        listen: '127.0.0.1:0',
        data_dir: dir,
        routing_mode: 'direct',
        tunnel: { enabled: true, require_ready: true },
        plugins: ['auth-agent-token', { name: 'tunnel-cloudflared', config: { poll_interval_ms: 100 } }],
        mcpServers: [everythingStdio()],
      };
      const configPath = join(dir, 'config.json');
      await writeFile(configPath, JSON.stringify(config));
      const stateFile = join(dir, 'cloudflared-state.json');
      const portFile = join(dir, 'ports.json');
      proxy = new ChildProcess('mcpproxy', proxyBinary(),
        ['serve', '--config', configPath, '--port-file', portFile, '--log-level', 'debug'],
        { cwd: dir, env: { ...process.env, PATH: `${FAKES}:${process.env.PATH}`, FAKE_CLOUDFLARED_STATE: stateFile } });
      const ports = await waitFor('the port file', () => {
        if (proxy.exit) throw new FatalWaitError(`mcpproxy exited (${describeExit(proxy.exit)})`);
        return existsSync(portFile) ? readJson(portFile) : null;
      });
      const main = `http://${ports.listeners.main}`;
      state = await waitFor('cloudflared connected', () => {
        const s = readJson(stateFile);
        return s && s.ready_connections > 0 && s.edge_port ? s : null;
      });
      await waitFor('/healthz 200 (tunnel ready)', async () => {
        const r = await fetch(`${main}/healthz`);
        await r.body?.cancel();
        return r.status === 200;
      }, { timeoutMs: 20000 });
      edgeUrl = `http://127.0.0.1:${state.edge_port}/mcp`;
      session = await connectClient(edgeUrl, { headers: { Authorization: `Bearer ${secret}` } });
    });
  });

  after(() => teardown(
    () => session?.close(),
    () => proxy?.stop(10000),
    () => dir && !process.env.KEEP_E2E_TMP && rm(dir, { recursive: true, force: true }),
  ));

  it('refuses a client without a token at the proxy', { skip }, async () => {
    await assert.rejects(connectClient(edgeUrl), /401|Unauthorized|invalid_token/i);
  });

  it('lists and calls tools through the edge with an agent token', { skip }, async () => {
    const tools = (await session.client.listTools()).tools.map((t) => t.name);
    assert.ok(tools.includes('everything__echo'), tools.join(', '));
    const result = await session.client.callTool({ name: 'everything__echo', arguments: { message: 'via the edge' } });
    assert.match(resultText(result), /via the edge/);
  });

  it('carries a progress stream (SSE) through the edge', { skip }, async () => {
    const progress = [];
    const tools = (await session.client.listTools()).tools.map((t) => t.name);
    const longRunning = tools.find((t) => /long.?running/i.test(t));
    assert.ok(longRunning, tools.join(', '));
    await session.client.callTool({ name: longRunning, arguments: { duration: 1, steps: 2 } }, undefined, {
      onprogress: (p) => progress.push(p),
      timeout: 20000,
    });
    assert.ok(progress.length >= 1, `progress notifications: ${JSON.stringify(progress)}`);
  });
});
