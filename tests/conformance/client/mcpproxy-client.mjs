#!/usr/bin/env node
// The `--command` for `conformance client`: makes mcpproxy the MCP client of the scenario's server.
// Usage (by the suite): node mcpproxy-client.mjs <serverUrl>, with MCP_CONFORMANCE_SCENARIO set.
// Starts mcpproxy with the scenario server as its one Streamable HTTP upstream (direct mode, bare
// names), waits until mcpproxy has connected to it (initialize, tools/list: mcpproxy's own client
// code), then drives through mcpproxy the calls the scenario expects, with an SDK client that
// answers elicitation (applying schema defaults) and sampling. Exit code 0 when every call worked.
//
// auth/* scenarios: mcpproxy runs with the auth-oauth plugin (its upstream OAuth client; client_id
// and client_secret from MCP_CONFORMANCE_CONTEXT when the scenario pre-registers one). The
// upstream answers 401, mcpproxy shows it as login_needed; the wrapper runs `mcpproxy auth login
// --server scenario --no-browser` against the same config and data dir, plays the browser by
// GETting the printed authorization URL (the scenario's authorization server redirects at once
// to the plugin's loopback callback), waits for the login to finish, then for the running
// mcpproxy to pick the stored token up and reconnect, and calls the scenario's `test-tool`.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { proxyBinary, startProxy } from '../../e2e/lib/proxy.mjs';

const serverUrl = process.argv[2];
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';

// What each supported scenario needs from the end client, once mcpproxy is connected upstream.
const DRIVERS = {
  // mcpproxy's initialize and tools/list to the upstream are the test.
  initialize: async () => {},
  tools_call: async (client) => {
    const result = await client.callTool({ name: 'add_numbers', arguments: { a: 5, b: 3 } });
    log(`add_numbers: ${JSON.stringify(result.content)}`);
  },
  // mcpproxy's upstream transport must reconnect after `retry` ms with Last-Event-ID.
  'sse-retry': async (client) => {
    const result = await client.callTool({ name: 'test_reconnection', arguments: {} });
    log(`test_reconnection: ${JSON.stringify(result.content)}`);
  },
  // The upstream's elicitation is relayed to this client, which answers with the defaults.
  'elicitation-sep1034-client-defaults': async (client) => {
    const result = await client.callTool({ name: 'test_client_elicitation_defaults', arguments: {} });
    log(`test_client_elicitation_defaults: ${JSON.stringify(result.content)}`);
  },
};

// Every auth/* scenario serves one tool, "test-tool", behind its OAuth-protected /mcp.
const AUTH_TOOL = 'test-tool';
const isAuth = scenario.startsWith('auth/');
if (isAuth) {
  DRIVERS[scenario] = async (client) => {
    const result = await client.callTool({ name: AUTH_TOOL, arguments: {} });
    log(`${AUTH_TOOL}: ${JSON.stringify(result.content)}`);
  };
}

function log(line) {
  process.stderr.write(`mcpproxy-client: ${line}\n`);
}

async function waitForTools(client, wanted) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const { tools } = await client.listTools();
    if (!wanted || tools.some((t) => t.name === wanted)) return tools;
    if (Date.now() > deadline) throw new Error(`tool ${wanted} never appeared: ${tools.map((t) => t.name)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// A free loopback port for the plugin's login callback (its redirect URI).
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// The auth-oauth plugin's config for this scenario: the pre-registered client when the scenario
// gives one (MCP_CONFORMANCE_CONTEXT), else dynamic registration.
async function oauthPlugin() {
  const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}');
  const client = {};
  if (context.client_id) client.client_id = context.client_id;
  if (context.client_secret) client.client_secret = context.client_secret;
  return {
    name: 'auth-oauth',
    config: { upstreams: { scenario: client }, callback_port: await freePort(), login_timeout: '20s' },
  };
}

// `mcpproxy auth login --no-browser`, with the wrapper as the browser: GET the printed URL and
// follow its redirects (the authorization server auto-consents and sends us to the callback).
function login(proxy) {
  return new Promise((resolve, reject) => {
    const child = spawn(proxyBinary(), [
      'auth', 'login', '--server', 'scenario', '--no-browser', '--config', proxy.configPath, '--data-dir', proxy.dir,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let browsed = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 25000);
    const onData = (chunk) => {
      output += chunk;
      const url = /^\s+(https?:\/\/\S+)$/m.exec(output)?.[1];
      if (url && !browsed) {
        browsed = true;
        log(`browsing ${url}`);
        fetch(url, { redirect: 'follow' })
          .then(async (r) => log(`the browser ended at HTTP ${r.status}: ${(await r.text()).slice(0, 200)}`))
          .catch((e) => log(`the browser failed: ${e.message}`));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      log(`auth login exited ${code}:\n${output}`);
      if (code === 0) resolve();
      else reject(new Error(`mcpproxy auth login exited ${code}`));
    });
  });
}

const WANTED_TOOL = {
  tools_call: 'add_numbers',
  'sse-retry': 'test_reconnection',
  'elicitation-sep1034-client-defaults': 'test_client_elicitation_defaults',
  ...(isAuth ? { [scenario]: AUTH_TOOL } : {}),
};

async function main() {
  const drive = DRIVERS[scenario];
  if (!drive) {
    log(`scenario ${scenario} is not supported by this wrapper`);
    return 2;
  }
  const config = { tool_names: 'bare' };
  if (isAuth) config.plugins = [await oauthPlugin()];
  const proxy = await startProxy({
    mcpServers: [{ name: 'scenario', url: serverUrl }],
    routingMode: 'direct',
    config,
  });
  let client;
  try {
    client = new Client(
      { name: 'mcpproxy-conformance-client', version: '1.0.0' },
      { capabilities: { elicitation: { form: { applyDefaults: true } }, sampling: {} } },
    );
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: {} }));
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({
      role: 'assistant',
      model: 'conformance',
      content: { type: 'text', text: 'ok' },
    }));
    if (isAuth) await login(proxy);
    await client.connect(new StreamableHTTPClientTransport(new URL(proxy.url)));
    await waitForTools(client, WANTED_TOOL[scenario]);
    await drive(client);
    return 0;
  } catch (error) {
    log(`failed: ${error.stack ?? error}\n--- mcpproxy ---\n${proxy.logs().split('\n').slice(-40).join('\n')}`);
    return 1;
  } finally {
    await client?.close().catch(() => {});
    await proxy.stop();
  }
}

process.exitCode = await main();
