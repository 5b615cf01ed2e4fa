// Many client sessions at once through one proxy: every answer, progress notification and
// server-to-client request reaches the session that caused it, and no other.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectClient, resultText } from '../lib/client.mjs';
import { dumpLogsOnFailure, withLogsOnError } from '../lib/diagnostics.mjs';
import { teardown, waitFor } from '../lib/process.mjs';
import { proxySkipReason, startProxy, SUITE_TIMEOUT_MS } from '../lib/proxy.mjs';
import { everythingStdio, httpUpstream, startHttpTestServer } from '../lib/upstreams.mjs';

const SESSIONS = 10;
const CALLS_PER_SESSION = 5;

// The only reason to skip: no binary to test. Anything else fails loudly.
const skip = proxySkipReason();

describe('concurrent client sessions', { timeout: SUITE_TIMEOUT_MS }, () => {
  let http1;
  let proxy;
  let sessions = [];

  dumpLogsOnFailure(() => [proxy, http1]);

  before(async () => {
    if (skip) return;
    await withLogsOnError(() => [proxy, http1], async () => {
      http1 = await startHttpTestServer();
      proxy = await startProxy({
        routingMode: 'direct',
        mcpServers: [everythingStdio('everything'), httpUpstream('http1', http1.url)],
      });
      sessions = await Promise.all(Array.from({ length: SESSIONS }, (_, index) =>
        connectClient(proxy.url, {
          name: `e2e-session-${index}`,
          onSampling: async (request) => ({
            role: 'assistant',
            model: `model-of-session-${index}`,
            content: { type: 'text', text: `session ${index} answers: ${request.params.messages[0].content.text}` },
          }),
        })));
      await waitFor('both upstreams in tools/list', async () => {
        const names = (await sessions[0].client.listTools()).tools.map((tool) => tool.name);
        return names.includes('everything__echo') && names.includes('http1__echo');
      });
    });
  });

  after(() => teardown(
    () => teardown(...sessions.map((session) => () => session.close())),
    () => proxy?.stop(),
    () => http1?.stop(),
  ));

  it('gives every session distinct session ids', { skip }, () => {
    const ids = new Set(sessions.map((session) => session.transport.sessionId));
    assert.equal(ids.size, SESSIONS);
  });

  it(`${SESSIONS} sessions calling echo concurrently each get their own answers`, { skip }, async () => {
    await Promise.all(sessions.map(async (session, index) => {
      const calls = [];
      for (let call = 0; call < CALLS_PER_SESSION; call += 1) {
        const text = `session-${index}-call-${call}-${Math.random().toString(36).slice(2)}`;
        calls.push(session.client.callTool({ name: 'http1__echo', arguments: { text } })
          .then((result) => assert.equal(resultText(result), text)));
        calls.push(session.client.callTool({ name: 'everything__echo', arguments: { message: text } })
          .then((result) => assert.equal(resultText(result), `Echo: ${text}`)));
      }
      await Promise.all(calls);
    }));
  });

  it('progress notifications reach only the session whose call produced them', { skip }, async () => {
    await Promise.all(sessions.map(async (session, index) => {
      const ms = 300 + index * 10; // a total unique to this session
      const progress = [];
      const result = await session.client.callTool({ name: 'http1__slow', arguments: { ms } }, undefined,
        { onprogress: (p) => progress.push(p) });
      assert.equal(resultText(result), `slept ${ms} ms`);
      assert.ok(progress.length >= 1, `session ${index} got no progress`);
      assert.ok(progress.every((p) => p.total === ms), `session ${index} got foreign progress ${JSON.stringify(progress)}`);
    }));
  });

  it('sampling requests go to the session whose call made them', { skip }, async () => {
    await Promise.all(sessions.map(async (session, index) => {
      const result = await session.client.callTool({ name: 'http1__ask_llm', arguments: { prompt: `question ${index}` } });
      assert.equal(resultText(result), `session ${index} answers: question ${index}`);
    }));
  });
});
