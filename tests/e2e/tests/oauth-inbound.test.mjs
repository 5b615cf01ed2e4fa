// auth-oauth inbound: the official SDK client with its own OAuth support (an OAuthClientProvider on
// StreamableHTTPClientTransport) against mcpproxy as a resource server. The client gets a 401,
// reads the protected-resource metadata from resource_metadata, discovers the test authorization
// server below, registers (DCR), follows the authorization URL itself (auto-consent), exchanges the
// code with PKCE, reconnects with the JWT and calls a tool.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { resultText } from '../lib/client.mjs';
import { dumpLogsOnFailure, withLogsOnError } from '../lib/diagnostics.mjs';
import { teardown } from '../lib/process.mjs';
import { proxySkipReason, startProxy, SUITE_TIMEOUT_MS } from '../lib/proxy.mjs';
import { testServerStdio } from '../lib/upstreams.mjs';

const skip = proxySkipReason();
const SCOPE = 'mcp:tools';
const b64url = (data) => Buffer.from(data).toString('base64url');

/** A small OAuth 2.1 authorization server on loopback: metadata, JWKS (RS256), DCR, auto-consent
 * /authorize with PKCE, /token issuing JWTs for the requested resource. */
async function startAuthorizationServer() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `e2e-${randomBytes(4).toString('hex')}`;
  const clients = new Map();
  const codes = new Map();
  const log = [];
  let issuer;

  const signJwt = (claims) => {
    const input = `${b64url(JSON.stringify({ alg: 'RS256', kid, typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
    return `${input}.${b64url(sign('sha256', Buffer.from(input), privateKey))}`;
  };
  const readBody = async (req) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    return body;
  };
  const json = (res, status, doc) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(doc));
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, issuer);
    log.push(`${req.method} ${url.pathname}`);
    try {
      if (req.method === 'GET' && url.pathname === '/.well-known/oauth-authorization-server') {
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          registration_endpoint: `${issuer}/register`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['none'],
          scopes_supported: [SCOPE],
        });
      }
      if (req.method === 'GET' && url.pathname === '/jwks') {
        return json(res, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
      }
      if (req.method === 'POST' && url.pathname === '/register') {
        const meta = JSON.parse(await readBody(req));
        const client = { ...meta, client_id: `client-${randomBytes(6).toString('hex')}`, token_endpoint_auth_method: 'none' };
        clients.set(client.client_id, client);
        return json(res, 201, client);
      }
      if (req.method === 'GET' && url.pathname === '/authorize') {
        const q = url.searchParams;
        const client = clients.get(q.get('client_id'));
        if (!client || !client.redirect_uris.includes(q.get('redirect_uri')) || q.get('code_challenge_method') !== 'S256') {
          return json(res, 400, { error: 'invalid_request' });
        }
        const code = randomBytes(16).toString('hex');
        codes.set(code, {
          clientId: client.client_id, redirectUri: q.get('redirect_uri'), challenge: q.get('code_challenge'),
          scope: q.get('scope') || '', resource: q.get('resource'),
        });
        const back = new URL(q.get('redirect_uri'));
        back.searchParams.set('code', code);
        if (q.get('state')) back.searchParams.set('state', q.get('state'));
        res.writeHead(302, { Location: back.toString() });
        return res.end();
      }
      if (req.method === 'POST' && url.pathname === '/token') {
        const form = new URLSearchParams(await readBody(req));
        const grant = codes.get(form.get('code'));
        codes.delete(form.get('code'));
        const verifier = form.get('code_verifier') || '';
        if (form.get('grant_type') !== 'authorization_code' || !grant || grant.clientId !== form.get('client_id')
            || grant.redirectUri !== form.get('redirect_uri')
            || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
          return json(res, 400, { error: 'invalid_grant' });
        }
        const now = Math.floor(Date.now() / 1000);
        const resource = form.get('resource') || grant.resource;
        const accessToken = signJwt({
          iss: issuer, aud: resource, sub: 'e2e-user', email: 'e2e@example.test', scope: grant.scope,
          client_id: grant.clientId, iat: now, exp: now + 300,
        });
        return json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 300, scope: grant.scope });
      }
      json(res, 404, { error: 'not_found' });
    } catch (error) {
      json(res, 500, { error: 'server_error', error_description: String(error) });
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${server.address().port}`;
  return {
    issuer,
    log,
    signJwt,
    // Shaped like lib/process.mjs's ChildProcess for the diagnostics helpers: its request log.
    process: {
      label: `test authorization server ${issuer}`,
      get totalLines() { return log.length; },
      logs: () => log.join('\n'),
      logsSince: (line) => log.slice(line).join('\n'),
    },
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

/** An OAuthClientProvider that plays the browser: it follows the authorization URL itself and
 * keeps the code from the redirect. */
class TestBrowserProvider {
  constructor() {
    this.redirectUrl = 'http://127.0.0.1:1/callback';  // never reached: the code is read from Location
    this.clientMetadata = {
      client_name: 'mcpproxy-e2e', redirect_uris: [this.redirectUrl], grant_types: ['authorization_code'],
      response_types: ['code'], token_endpoint_auth_method: 'none',
    };
    this.authorizationCode = null;
    this.authorizationUrl = null;
  }
  clientInformation() { return this.client; }
  saveClientInformation(info) { this.client = info; }
  tokens() { return this.savedTokens; }
  saveTokens(tokens) { this.savedTokens = tokens; }
  saveCodeVerifier(verifier) { this.verifier = verifier; }
  codeVerifier() { return this.verifier; }
  async redirectToAuthorization(url) {
    this.authorizationUrl = url;
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status !== 302 || !location) throw new Error(`authorize answered ${response.status}: ${await response.text()}`);
    this.authorizationCode = new URL(location).searchParams.get('code');
  }
}

async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('OAuth resource server with the SDK\'s OAuth client', { timeout: SUITE_TIMEOUT_MS }, () => {
  let as;
  let proxy;
  let client;
  let resource;

  dumpLogsOnFailure(() => [proxy, as]);

  before(async () => {
    if (skip) return;
    await withLogsOnError(() => [proxy, as], async () => {
      as = await startAuthorizationServer();
      // The resource URL (the JWT audience) must be known before start: a fixed loopback port.
      const port = await freePort();
      resource = `http://127.0.0.1:${port}/mcp`;
      proxy = await startProxy({
        listen: `127.0.0.1:${port}`,
        mcpServers: [testServerStdio('notes')],
        config: {
          plugins: [{
            name: 'auth-oauth',
            config: {
              inbound: {
                issuer: as.issuer, resource, jwks_uri: `${as.issuer}/jwks`, required_scopes: [SCOPE],
                rules: [{ any: true, servers: '*', permissions: 'read,write' }],
              },
            },
          }],
        },
      });
    });
  });

  after(() => teardown(
    () => client?.close(),
    () => proxy?.stop(),
    () => as?.stop(),
  ));

  it('discovers the metadata from a 401, registers, authorizes, and calls a tool with the JWT', { skip }, async () => {
    const provider = new TestBrowserProvider();
    const first = new Client({ name: 'mcpproxy-e2e-oauth', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(proxy.url), { authProvider: provider });
    await assert.rejects(first.connect(transport), UnauthorizedError);
    assert.ok(provider.client?.client_id, 'the client registered dynamically');
    assert.ok(provider.authorizationUrl, 'the SDK asked to open the authorization URL');
    assert.equal(provider.authorizationUrl.origin, as.issuer);
    assert.equal(provider.authorizationUrl.searchParams.get('resource'), resource);
    assert.equal(provider.authorizationUrl.searchParams.get('scope'), SCOPE);
    assert.ok(provider.authorizationCode, 'the authorization server redirected with a code');

    await transport.finishAuth(provider.authorizationCode);
    const [, payload] = provider.savedTokens.access_token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    assert.equal(claims.aud, resource);
    assert.equal(claims.iss, as.issuer);

    client = new Client({ name: 'mcpproxy-e2e-oauth', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(proxy.url), { authProvider: provider }));
    const { tools } = await client.listTools();
    assert.ok(tools.some((tool) => tool.name === 'notes__echo'), JSON.stringify(tools.map((t) => t.name)));
    const result = await client.callTool({ name: 'notes__echo', arguments: { text: 'hello over OAuth' } });
    assert.equal(resultText(result), 'hello over OAuth');
    // The discovery went the documented way: metadata, registration, authorize, token; keys fetched by the proxy.
    for (const step of ['GET /.well-known/oauth-authorization-server', 'POST /register', 'GET /authorize', 'POST /token', 'GET /jwks']) {
      assert.ok(as.log.includes(step), `${step} missing from ${as.log.join(', ')}`);
    }
  });

  it('refuses a token for another audience with 401 and the resource_metadata challenge', { skip }, async () => {
    const now = Math.floor(Date.now() / 1000);
    const wrongAudience = as.signJwt({ iss: as.issuer, aud: 'http://127.0.0.1:1/mcp', sub: 'e2e-user', scope: SCOPE, exp: now + 300 });
    const response = await fetch(proxy.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', Authorization: `Bearer ${wrongAudience}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    await response.body?.cancel();
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '',
      /resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp", error="invalid_token"/);
  });
});
