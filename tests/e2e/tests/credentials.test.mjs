// Client credentials end at the proxy: an upstream sees the headers configured for it, never the
// client's Authorization, X-API-Key or Cookie (MCP forbids token passthrough).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectClient, resultText } from '../lib/client.mjs';
import { dumpLogsOnFailure, withLogsOnError } from '../lib/diagnostics.mjs';
import { teardown, waitFor } from '../lib/process.mjs';
import { proxySkipReason, startProxy, SUITE_TIMEOUT_MS } from '../lib/proxy.mjs';
import { httpUpstream, startHttpTestServer } from '../lib/upstreams.mjs';

const CLIENT_SECRET = 'e2e-client-secret-must-not-reach-upstream';

// The only reason to skip: no binary to test. Anything else fails loudly.
const skip = proxySkipReason();

describe('client credentials are not forwarded', { timeout: SUITE_TIMEOUT_MS }, () => {
  let http1;
  let proxy;
  let session;

  dumpLogsOnFailure(() => [proxy, http1]);

  before(async () => {
    if (skip) return;
    await withLogsOnError(() => [proxy, http1], async () => {
      http1 = await startHttpTestServer();
      proxy = await startProxy({
        routingMode: 'direct',
        mcpServers: [httpUpstream('http1', http1.url, { headers: { 'X-Test-Marker': 'from-proxy-config' } })],
      });
      session = await connectClient(proxy.url, {
        headers: {
          Authorization: `Bearer ${CLIENT_SECRET}`,
          'X-API-Key': CLIENT_SECRET,
          Cookie: `session=${CLIENT_SECRET}`,
          'X-Test-Marker': 'from-client',
        },
      });
      await waitFor('http1__whoami in tools/list', async () =>
        (await session.client.listTools()).tools.some((tool) => tool.name === 'http1__whoami'));
    });
  });

  after(() => teardown(
    () => session?.close(),
    () => proxy?.stop(),
    () => http1?.stop(),
  ));

  it('the upstream sees its configured headers and none of the client\'s credentials', { skip }, async () => {
    const result = await session.client.callTool({ name: 'http1__whoami', arguments: {} });
    const seen = JSON.parse(resultText(result));
    assert.equal(seen.transport, 'http');
    // Positive control: the configured header arrives, so whoami does report what it receives.
    assert.equal(seen['x-test-marker'], 'from-proxy-config');
    assert.equal(seen.authorization, null);
    assert.equal(seen['x-api-key'], null);
    assert.equal(seen.cookie, null);
    assert.ok(!resultText(result).includes(CLIENT_SECRET));
  });

  it('the client\'s secret does not appear in the proxy\'s debug log', { skip }, () => {
    assert.ok(!proxy.process.logs().includes(CLIENT_SECRET));
  });
});
