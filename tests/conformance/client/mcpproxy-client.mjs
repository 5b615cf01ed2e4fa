#!/usr/bin/env node
// The `--command` for `conformance client`: makes mcpproxy the MCP client of the scenario's server.
// Usage (by the suite): node mcpproxy-client.mjs <serverUrl>, with MCP_CONFORMANCE_SCENARIO set.
// Starts mcpproxy with the scenario server as its one Streamable HTTP upstream (direct mode, bare
// names), waits until mcpproxy has connected to it (initialize, tools/list: mcpproxy's own client
// code), then drives through mcpproxy the calls the scenario expects, with an SDK client that
// answers elicitation (applying schema defaults) and sampling. Exit code 0 when every call worked.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { startProxy } from '../../e2e/lib/proxy.mjs';

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

const WANTED_TOOL = {
  tools_call: 'add_numbers',
  'sse-retry': 'test_reconnection',
  'elicitation-sep1034-client-defaults': 'test_client_elicitation_defaults',
};

async function main() {
  const drive = DRIVERS[scenario];
  if (!drive) {
    log(`scenario ${scenario} is not supported by this wrapper`);
    return 2;
  }
  const proxy = await startProxy({
    mcpServers: [{ name: 'scenario', url: serverUrl }],
    routingMode: 'direct',
    config: { tool_names: 'bare' },
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
