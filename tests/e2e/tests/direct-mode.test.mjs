// routing_mode "direct": every upstream tool, prompt and resource reachable through one /mcp, with
// server-everything over stdio ("everything") and our test server over Streamable HTTP ("http1").
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectClient, resultText } from '../lib/client.mjs';
import { dumpLogsOnFailure, withLogsOnError } from '../lib/diagnostics.mjs';
import { teardown, waitFor } from '../lib/process.mjs';
import { proxySkipReason, startProxy, SUITE_TIMEOUT_MS } from '../lib/proxy.mjs';
import { everythingStdio, httpUpstream, startHttpTestServer } from '../lib/upstreams.mjs';
import { WELCOME_TEXT } from '../upstreams/test-server.mjs';

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** Rejects or resolves with isError: either way the call must not succeed. */
async function expectToolFailure(promise) {
  let result;
  try {
    result = await promise;
  } catch (error) {
    return error;
  }
  assert.equal(result.isError, true, `expected an error, got ${JSON.stringify(result)}`);
  return result;
}

// The only reason to skip: no binary to test. Anything else fails loudly.
const skip = proxySkipReason();

describe('direct routing mode', { timeout: SUITE_TIMEOUT_MS }, () => {
  let http1;
  let proxy;
  let session;
  const samplingRequests = [];
  const elicitationRequests = [];
  let elicitationReply = { action: 'accept', content: { answer: 'blue' } };

  dumpLogsOnFailure(() => [proxy, http1]);

  before(async () => {
    if (skip) return;
    await withLogsOnError(() => [proxy, http1], async () => {
      http1 = await startHttpTestServer();
      proxy = await startProxy({
        routingMode: 'direct',
        mcpServers: [everythingStdio('everything'), httpUpstream('http1', http1.url)],
      });
      session = await connectClient(proxy.url, {
        onSampling: async (request) => {
          samplingRequests.push(request.params);
          const prompt = request.params.messages[0].content.text;
          return { role: 'assistant', model: 'e2e-test-model', content: { type: 'text', text: `model says: ${prompt}` } };
        },
        onElicitation: async (request) => {
          elicitationRequests.push(request.params);
          return elicitationReply;
        },
      });
      // Upstreams connect in the background; wait until both have contributed their tools.
      await waitFor('everything__echo and http1__echo in tools/list', async () => {
        const { tools } = await session.client.listTools();
        const names = tools.map((tool) => tool.name);
        return names.includes('everything__echo') && names.includes('http1__echo');
      });
    });
  });

  after(() => teardown(
    () => session?.close(),
    () => proxy?.stop(),
    () => http1?.stop(),
  ));

  it('lists tools of both upstreams as <server>__<tool> with annotations and schemas preserved', { skip }, async () => {
    const { tools } = await session.client.listTools();
    const byName = new Map(tools.map((tool) => [tool.name, tool]));

    for (const name of byName.keys()) assert.match(name, /^(everything|http1)__./, `unexpected tool ${name}`);
    for (const name of ['echo', 'add', 'write_note', 'delete_note', 'slow', 'ask_llm', 'ask_user', 'whoami']) {
      assert.ok(byName.has(`http1__${name}`), `http1__${name} missing from ${[...byName.keys()]}`);
    }
    for (const name of ['echo', 'get-sum', 'trigger-long-running-operation']) {
      assert.ok(byName.has(`everything__${name}`), `everything__${name} missing`);
    }

    const echo = byName.get('http1__echo');
    assert.deepEqual(echo.annotations, READ_ONLY);
    assert.equal(echo.title, 'Echo');
    assert.equal(echo.description, 'Returns the given text unchanged.');
    assert.equal(echo.inputSchema.type, 'object');
    assert.equal(echo.inputSchema.properties.text.type, 'string');
    assert.deepEqual(echo.inputSchema.required, ['text']);

    assert.deepEqual(byName.get('http1__write_note').annotations,
      { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false });
    assert.equal(byName.get('http1__delete_note').annotations.destructiveHint, true);
    assert.equal(byName.get('http1__add').outputSchema.properties.sum.type, 'number');
    assert.deepEqual(byName.get('everything__echo').annotations, READ_ONLY);
    assert.equal(byName.get('everything__echo').inputSchema.properties.message.type, 'string');
  });

  it('calls echo on the stdio and on the HTTP upstream', { skip }, async () => {
    const viaHttp = await session.client.callTool({ name: 'http1__echo', arguments: { text: 'hello http' } });
    assert.equal(viaHttp.isError ?? false, false);
    assert.equal(resultText(viaHttp), 'hello http');

    const viaStdio = await session.client.callTool({ name: 'everything__echo', arguments: { message: 'hello stdio' } });
    assert.equal(viaStdio.isError ?? false, false);
    assert.equal(resultText(viaStdio), 'Echo: hello stdio');
  });

  it('passes structured output through', { skip }, async () => {
    const result = await session.client.callTool({ name: 'http1__add', arguments: { a: 2, b: 3 } });
    assert.deepEqual(result.structuredContent, { sum: 5 });
  });

  it('relays progress notifications from the HTTP upstream', { skip }, async () => {
    const progress = [];
    const result = await session.client.callTool(
      { name: 'http1__slow', arguments: { ms: 600 } },
      undefined,
      { onprogress: (p) => progress.push(p) },
    );
    assert.equal(resultText(result), 'slept 600 ms');
    assert.ok(progress.length >= 3, `expected >= 3 progress notifications, got ${JSON.stringify(progress)}`);
    for (let i = 1; i < progress.length; i += 1) assert.ok(progress[i].progress > progress[i - 1].progress);
    assert.ok(progress.every((p) => p.total === 600 && p.message === 'sleeping'));
  });

  it('relays progress notifications from the stdio upstream', { skip }, async () => {
    const progress = [];
    await session.client.callTool(
      { name: 'everything__trigger-long-running-operation', arguments: { duration: 0.6, steps: 3 } },
      undefined,
      { onprogress: (p) => progress.push(p) },
    );
    assert.deepEqual(progress.map((p) => [p.progress, p.total]), [[1, 3], [2, 3], [3, 3]]);
  });

  it('relays a sampling request from the HTTP upstream to the client and the reply back', { skip }, async () => {
    samplingRequests.length = 0;
    const result = await session.client.callTool({ name: 'http1__ask_llm', arguments: { prompt: 'what is 6 x 7?' } });
    assert.equal(resultText(result), 'model says: what is 6 x 7?');
    assert.equal(samplingRequests.length, 1);
    assert.equal(samplingRequests[0].maxTokens, 64);
    assert.equal(samplingRequests[0].systemPrompt, 'You are a test model.');
  });

  it('relays a sampling request from the stdio upstream', { skip }, async () => {
    samplingRequests.length = 0;
    const result = await session.client.callTool({
      name: 'everything__trigger-sampling-request',
      arguments: { prompt: 'ping', maxTokens: 5 },
    });
    assert.equal(samplingRequests.length, 1);
    assert.match(resultText(result), /model says: Resource trigger-sampling-request context: ping/);
  });

  it('relays an elicitation request and the user\'s answer', { skip }, async () => {
    elicitationRequests.length = 0;
    elicitationReply = { action: 'accept', content: { answer: 'blue' } };
    const accepted = await session.client.callTool({ name: 'http1__ask_user', arguments: { question: 'Favourite colour?' } });
    assert.equal(resultText(accepted), 'blue');
    assert.equal(elicitationRequests.length, 1);
    assert.equal(elicitationRequests[0].message, 'Favourite colour?');
    assert.deepEqual(elicitationRequests[0].requestedSchema.required, ['answer']);

    elicitationReply = { action: 'decline' };
    const declined = await session.client.callTool({ name: 'http1__ask_user', arguments: { question: 'Again?' } });
    assert.equal(resultText(declined), 'user chose decline');
  });

  it('forwards cancellation to the upstream', { skip }, async () => {
    const stats = async () =>
      (await session.client.callTool({ name: 'http1__slow_stats', arguments: {} })).structuredContent;
    const before = await stats();
    const controller = new AbortController();
    const call = session.client.callTool({ name: 'http1__slow', arguments: { ms: 10000 } }, undefined, {
      signal: controller.signal,
    });
    await waitFor('the slow call to start upstream', async () => (await stats()).started > before.started);
    controller.abort('test cancels');
    await assert.rejects(call);
    await waitFor('the upstream to see the cancellation', async () => (await stats()).cancelled > before.cancelled,
      { timeoutMs: 5000 });
    assert.equal((await stats()).completed, before.completed);
  });

  it('aggregates prompts and gets one', { skip }, async () => {
    const { prompts } = await session.client.listPrompts();
    const names = prompts.map((prompt) => prompt.name);
    assert.ok(names.includes('http1__greeting'), `http1__greeting missing from ${names}`);
    assert.ok(names.includes('everything__simple-prompt'), `everything__simple-prompt missing from ${names}`);
    const greeting = prompts.find((prompt) => prompt.name === 'http1__greeting');
    assert.deepEqual(greeting.arguments.map((arg) => [arg.name, arg.required]), [['name', true]]);

    const result = await session.client.getPrompt({ name: 'http1__greeting', arguments: { name: 'Ada' } });
    assert.deepEqual(result.messages, [{ role: 'user', content: { type: 'text', text: 'Hello, Ada!' } }]);
  });

  it('aggregates resources and reads one by its original URI', { skip }, async () => {
    const { resources } = await session.client.listResources();
    const uris = resources.map((resource) => resource.uri);
    assert.ok(uris.includes('note://welcome'), `note://welcome missing from ${uris}`);
    assert.ok(uris.some((uri) => uri.startsWith('demo://resource/static/')), `no server-everything resource in ${uris}`);

    const { contents } = await session.client.readResource({ uri: 'note://welcome' });
    assert.equal(contents.length, 1);
    assert.equal(contents[0].uri, 'note://welcome');
    assert.equal(contents[0].text, WELCOME_TEXT);
  });

  it('routes a templated resource URI to the server that offers the template', { skip }, async () => {
    const { resourceTemplates } = await session.client.listResourceTemplates();
    assert.ok(resourceTemplates.some((template) => template.uriTemplate === 'note://{id}'),
      `note://{id} missing from ${JSON.stringify(resourceTemplates)}`);
    await session.client.callTool({ name: 'http1__write_note', arguments: { id: 'e2e-direct', text: 'written via proxy' } });
    const { contents } = await session.client.readResource({ uri: 'note://e2e-direct' });
    assert.equal(contents[0].text, 'written via proxy');
  });

  it('answers an unknown tool with an error', { skip }, async () => {
    await expectToolFailure(session.client.callTool({ name: 'http1__no_such_tool', arguments: {} }));
    await expectToolFailure(session.client.callTool({ name: 'nosuchserver__echo', arguments: { text: 'x' } }));
    await expectToolFailure(session.client.callTool({ name: 'echo', arguments: { text: 'x' } }));
    // The session is still usable afterwards.
    const result = await session.client.callTool({ name: 'http1__echo', arguments: { text: 'still here' } });
    assert.equal(resultText(result), 'still here');
  });

  for (const version of ['2025-03-26', '2025-06-18', '2025-11-25']) {
    it(`serves a client that speaks protocol version ${version}`, { skip }, async () => {
      const other = await connectClient(proxy.url, { protocolVersion: version });
      try {
        assert.equal(other.transport.protocolVersion, version);
        const result = await other.client.callTool({ name: 'http1__echo', arguments: { text: version } });
        assert.equal(resultText(result), version);
        const posts = other.exchanges.filter((exchange) => exchange.method === 'POST' && exchange.rpcMethod !== 'initialize');
        assert.ok(posts.every((exchange) => exchange.requestHeaders['mcp-protocol-version'] === version));
      } finally {
        await other.close();
      }
      assert.deepEqual(other.errors, []);
    });
  }

  it('gives the SDK client no transport errors (GET stream answered with 200 or 405)', { skip }, async () => {
    const gets = session.exchanges.filter((exchange) => exchange.method === 'GET');
    assert.ok(gets.length >= 1, 'the SDK opens a GET stream after initialization');
    for (const exchange of gets) assert.ok([200, 405].includes(exchange.status), `GET answered ${exchange.status}`);
    assert.deepEqual(session.errors.map(String), []);
  });

  it('ends the session on DELETE and then answers 404 for it', { skip }, async () => {
    const other = await connectClient(proxy.url);
    const { sessionId } = other.transport;
    assert.match(sessionId, /^[\x21-\x7e]+$/);
    await other.transport.terminateSession();
    const response = await fetch(proxy.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId,
        'mcp-protocol-version': other.transport.protocolVersion,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    await response.body?.cancel();
    assert.equal(response.status, 404);
    await other.close({ terminate: false });
  });

  it('shuts down on SIGTERM with exit code 0', { skip }, async () => {
    await session.close();
    const exit = await proxy.stop();
    assert.deepEqual(exit, { code: 0, signal: null, killed: false });
  });
});
