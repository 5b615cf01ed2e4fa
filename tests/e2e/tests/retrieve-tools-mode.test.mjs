// routing_mode "retrieve_tools": the client sees only the search tool and the three call_tool_*
// variants; the variant must match the upstream tool's annotations.
//
// Argument contract assumed here (the Go mcpproxy's): retrieve_tools {query, limit?} returns
// structuredContent {tools: [{name: "server:tool", description, inputSchema, ...}]};
// call_tool_read|write|destructive {name: "server:tool", args: {...}}.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectClient, resultText } from '../lib/client.mjs';
import { dumpLogsOnFailure, withLogsOnError } from '../lib/diagnostics.mjs';
import { teardown, waitFor } from '../lib/process.mjs';
import { proxySkipReason, startProxy, SUITE_TIMEOUT_MS } from '../lib/proxy.mjs';
import { everythingStdio, httpUpstream, startHttpTestServer } from '../lib/upstreams.mjs';

const META_TOOLS = ['call_tool_destructive', 'call_tool_read', 'call_tool_write', 'retrieve_tools'];

// The only reason to skip: no binary to test. Anything else fails loudly.
const skip = proxySkipReason();

describe('retrieve_tools routing mode', { timeout: SUITE_TIMEOUT_MS }, () => {
  let http1;
  let proxy;
  let session;

  dumpLogsOnFailure(() => [proxy, http1]);

  const retrieve = async (query, limit) => {
    const args = limit === undefined ? { query } : { query, limit };
    const result = await session.client.callTool({ name: 'retrieve_tools', arguments: args });
    assert.equal(result.isError ?? false, false, `retrieve_tools failed: ${JSON.stringify(result)}`);
    assert.ok(Array.isArray(result.structuredContent?.tools), `no structuredContent.tools in ${JSON.stringify(result)}`);
    return result.structuredContent.tools;
  };
  const call = (variant, name, args, options) =>
    session.client.callTool({ name: variant, arguments: { name, args } }, undefined, options);

  before(async () => {
    if (skip) return;
    await withLogsOnError(() => [proxy, http1], async () => {
      http1 = await startHttpTestServer();
      proxy = await startProxy({
        routingMode: 'retrieve_tools',
        mcpServers: [everythingStdio('everything'), httpUpstream('http1', http1.url)],
      });
      session = await connectClient(proxy.url, {
        onSampling: async (request) => ({
          role: 'assistant',
          model: 'e2e-test-model',
          content: { type: 'text', text: `model says: ${request.params.messages[0].content.text}` },
        }),
      });
      await waitFor('both upstreams to be searchable', async () => {
        const names = (await retrieve('echo')).map((tool) => tool.name);
        return names.includes('http1:echo') && names.includes('everything:echo');
      });
    });
  });

  after(() => teardown(
    () => session?.close(),
    () => proxy?.stop(),
    () => http1?.stop(),
  ));

  it('lists exactly retrieve_tools and the three call_tool variants', { skip }, async () => {
    const { tools } = await session.client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), META_TOOLS);
    const read = tools.find((tool) => tool.name === 'call_tool_read');
    assert.equal(read.inputSchema.properties.name.type, 'string');
    assert.ok(read.inputSchema.required.includes('name'));
    const search = tools.find((tool) => tool.name === 'retrieve_tools');
    assert.equal(search.inputSchema.properties.query.type, 'string');
  });

  it('retrieve_tools finds upstream tools as server:tool with their schemas', { skip }, async () => {
    const tools = await retrieve('echo');
    assert.ok(tools.length >= 2);
    for (const tool of tools) assert.match(tool.name, /^[A-Za-z0-9][A-Za-z0-9_-]*:.+$/);
    const echo = tools.find((tool) => tool.name === 'http1:echo');
    assert.equal(echo.inputSchema.properties.text.type, 'string');
    // Both echo tools outrank everything that merely mentions the word elsewhere.
    assert.deepEqual(tools.slice(0, 2).map((tool) => tool.name).sort(), ['everything:echo', 'http1:echo']);
  });

  it('retrieve_tools honours limit', { skip }, async () => {
    const tools = await retrieve('note', 1);
    assert.equal(tools.length, 1);
  });

  it('call_tool_read calls a read-only tool', { skip }, async () => {
    const viaHttp = await call('call_tool_read', 'http1:echo', { text: 'read me' });
    assert.equal(viaHttp.isError ?? false, false);
    assert.equal(resultText(viaHttp), 'read me');
    const viaStdio = await call('call_tool_read', 'everything:echo', { message: 'read me too' });
    assert.equal(resultText(viaStdio), 'Echo: read me too');
  });

  it('call_tool_read refuses a destructive tool and names call_tool_destructive', { skip }, async () => {
    const result = await call('call_tool_read', 'http1:delete_note', { id: 'x' });
    assert.equal(result.isError, true);
    assert.match(resultText(result), /call_tool_destructive/);
  });

  it('call_tool_read refuses a write tool and names call_tool_write', { skip }, async () => {
    const result = await call('call_tool_read', 'http1:write_note', { id: 'x', text: 'y' });
    assert.equal(result.isError, true);
    assert.match(resultText(result), /call_tool_write/);
  });

  it('call_tool_write calls a write tool and call_tool_destructive a destructive one', { skip }, async () => {
    const written = await call('call_tool_write', 'http1:write_note', { id: 'e2e-rt', text: 'hello' });
    assert.equal(resultText(written), 'stored note e2e-rt');
    const deleted = await call('call_tool_destructive', 'http1:delete_note', { id: 'e2e-rt' });
    assert.equal(deleted.isError ?? false, false);
    assert.equal(resultText(deleted), 'deleted note e2e-rt');
  });

  it('call_tool_* on an unknown tool is an error', { skip }, async () => {
    let outcome;
    try {
      outcome = await call('call_tool_read', 'http1:no_such_tool', {});
    } catch (error) {
      outcome = { isError: true, error };
    }
    assert.equal(outcome.isError, true);
  });

  it('relays progress and sampling through call_tool_read', { skip }, async () => {
    const progress = [];
    const slow = await call('call_tool_read', 'http1:slow', { ms: 400 }, { onprogress: (p) => progress.push(p) });
    assert.equal(resultText(slow), 'slept 400 ms');
    assert.ok(progress.length >= 2, `expected progress, got ${JSON.stringify(progress)}`);

    const asked = await call('call_tool_read', 'http1:ask_llm', { prompt: 'hi' });
    assert.equal(resultText(asked), 'model says: hi');
  });
});
