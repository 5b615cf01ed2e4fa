// The management web UI in a real headless Chromium against the real mcpproxy binary: sign in with
// the admin key, create an agent token, see it listed, watch a denied call made with it appear in
// the activity log, revoke it and see it revoked. Screenshots go to build/ui-artifacts/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { artifactsDir, openBrowser } from '../lib/browser.mjs';
import { adminApi, McpClient, startProxy, waitFor } from '../lib/proxy.mjs';

const WRITE_TOOL = 'everything__toggle-simulated-logging'; // readOnlyHint: false -> needs write

let proxy;
let browser;
let page;
let shots;

async function screenshot(name) {
  await page.screenshot({ path: join(shots, name), fullPage: true });
}

function onlyRealProblems(problems) {
  // A rejected key is an expected 401; Chromium logs every non-2xx fetch as a console error.
  return problems.filter((p) => !p.includes('Failed to load resource'));
}

before(async () => {
  shots = await artifactsDir();
  proxy = await startProxy();
  await waitFor('the upstream to list its tools', async () => {
    const { body } = await adminApi(proxy, 'servers');
    return body.length === 1 && body[0].state === 'ready' && body[0].tools > 0;
  }, { timeoutMs: 30000 });
  browser = await openBrowser();
  page = browser.page;
  page.setDefaultTimeout(15000);
});

after(async () => {
  await browser?.close();
  if (proxy) {
    if (process.exitCode) console.error(proxy.logs());
    await proxy.stop();
  }
});

test('the UI is served with a strict policy on the management listener only', async () => {
  const ui = await fetch(`${proxy.managementUrl}/ui/`);
  assert.equal(ui.status, 200);
  assert.match(ui.headers.get('content-type'), /^text\/html/);
  assert.match(ui.headers.get('content-security-policy'), /default-src 'self'/);
  assert.equal(ui.headers.get('x-frame-options'), 'DENY');
  assert.equal(ui.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(ui.headers.get('cache-control'), 'no-cache');
  const js = await fetch(`${proxy.managementUrl}/ui/app.js`);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  assert.equal((await fetch(`${proxy.managementUrl}/ui/nope.js`)).status, 404);
  assert.equal((await fetch(`${proxy.mainUrl}/ui/`)).status, 404, 'the MCP listener has no UI');
});

test('a wrong admin key is refused, the right one signs in', async () => {
  await page.goto(`${proxy.managementUrl}/ui/`);
  await page.getByLabel('Admin key').fill('not-the-key');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('The admin key was not accepted').waitFor();
  await screenshot('01-login-refused.png');

  await page.getByLabel('Admin key').fill(proxy.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Status' }).waitFor();
  const stored = await page.evaluate(() => ({
    session: sessionStorage.getItem('mcpproxy.adminKey'),
    local: localStorage.length,
    cookies: document.cookie,
  }));
  assert.equal(stored.session, proxy.adminKey, 'kept in sessionStorage');
  assert.equal(stored.local, 0, 'never in localStorage');
  assert.equal(stored.cookies, '', 'never in a cookie');
});

test('the status page shows listeners, plugins and client snippets with the URL filled in', async () => {
  await page.locator('#listeners-body tr').filter({ hasText: 'management' }).waitFor();
  const endpoint = `${proxy.mainUrl}/mcp`;
  assert.equal(await page.locator('#client-url').textContent(), endpoint);
  const opencode = JSON.parse(await page.locator('#snippet-opencode').textContent());
  assert.deepEqual(opencode, {
    mcp: { mcpproxy: { type: 'remote', url: endpoint, headers: { Authorization: 'Bearer <token>' } } },
  });
  assert.equal(await page.locator('#snippet-claude').textContent(),
    `claude mcp add --transport http mcpproxy ${endpoint} --header "Authorization: Bearer <token>"`);
  await page.locator('#plugins-body').getByText('auth-agent-token').waitFor();
  assert.match(await page.locator('#tunnel-summary').textContent(), /Tunnel mode is off/);
  await screenshot('02-status.png');
});

test('the servers page lists the upstream and its tools', async () => {
  await page.getByRole('link', { name: 'Servers' }).click();
  const row = page.locator('#servers-body tr').filter({ hasText: 'everything' });
  await row.getByText('ready').waitFor();
  await row.getByRole('button', { name: 'Restart everything' }).waitFor();
  await page.locator('#tools-body').getByText('toggle-simulated-logging').waitFor();
  await page.getByLabel('Search', { exact: true }).fill('echo');
  await page.getByRole('button', { name: 'Show tools' }).click();
  await page.locator('#tools-body tr').first().getByText('echo', { exact: true }).waitFor();
  await screenshot('03-servers.png');
});

let secret;

test('creating a token shows its secret once and lists it', async () => {
  await page.getByRole('link', { name: 'Tokens' }).click();
  await page.getByLabel('Name', { exact: true }).fill('reader');
  await page.getByLabel('Permissions', { exact: true }).selectOption('read');
  await page.getByRole('button', { name: 'Create token' }).click();
  const panel = page.locator('#secret-panel');
  await panel.waitFor();
  secret = await page.locator('#secret-value').textContent();
  assert.match(secret, /^mcp_agt_[0-9a-f]{64}$/);
  assert.match(await panel.textContent(), /only time this secret is shown/);
  await page.getByRole('button', { name: 'Copy the secret' }).waitFor();
  const row = page.locator('#tokens-body tr[data-token="reader"]');
  await row.getByText('active').waitFor();
  assert.equal(await page.locator('#tokens-body').getByText('mcp_agt_').count(), 0, 'no secret in the list');
  await screenshot('04-token-created.png');

  await page.getByRole('button', { name: 'I have stored it' }).click();
  await panel.waitFor({ state: 'hidden' });
  assert.equal(await page.locator('#secret-value').textContent(), '', 'the secret is gone from the page');

  const { body } = await adminApi(proxy, 'tokens/reader');
  assert.deepEqual(body.permissions, ['read']);
});

test('a denied call made with the token appears in the activity log', async () => {
  const client = new McpClient(`${proxy.mainUrl}/mcp`, secret);
  const init = await client.initialize();
  assert.equal(init.status, 200, JSON.stringify(init.body));
  const denied = await client.callTool(WRITE_TOOL, {});
  assert.equal(denied.status, 403, JSON.stringify(denied.body));
  assert.match(denied.body.error.message, /lacks the write permission/);

  await page.getByRole('link', { name: 'Activity' }).click();
  await page.getByLabel('Agent', { exact: true }).fill('reader');
  await page.getByLabel('Decision', { exact: true }).selectOption('denied');
  await page.getByRole('button', { name: 'Apply' }).click();
  const row = page.locator('#activity-body tr').filter({ hasText: 'toggle-simulated-logging' });
  await row.waitFor();
  const cells = await row.locator('td').allTextContents();
  assert.equal(cells[1], 'reader');
  assert.equal(cells[2], '127.0.0.1');
  assert.equal(cells[5], 'everything');
  assert.equal(cells[7], 'denied');
  assert.match(cells[9], /^403/);
  await screenshot('05-activity-denied.png');
});

test('regenerating the token shows a new secret once; the old one stops working', async () => {
  await page.getByRole('link', { name: 'Tokens' }).click();
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Regenerate reader' }).click();
  await page.locator('#secret-panel').waitFor();
  const fresh = await page.locator('#secret-value').textContent();
  assert.match(fresh, /^mcp_agt_[0-9a-f]{64}$/);
  assert.notEqual(fresh, secret);
  await page.getByRole('button', { name: 'I have stored it' }).click();
  const old = new McpClient(`${proxy.mainUrl}/mcp`, secret);
  await waitFor('the old secret to be refused', async () => (await old.initialize()).status === 401,
    { timeoutMs: 5000 });
  const renewed = new McpClient(`${proxy.mainUrl}/mcp`, fresh);
  await waitFor('the new secret to work', async () => (await renewed.initialize()).status === 200,
    { timeoutMs: 5000 });
  secret = fresh;
});

test('revoking the token marks it revoked and the proxy refuses it', async () => {
  await page.getByRole('link', { name: 'Tokens' }).click();
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Revoke reader' }).click();
  const row = page.locator('#tokens-body tr[data-token="reader"]');
  await row.getByText('revoked').waitFor();
  await page.getByText('Token reader is revoked.').waitFor();
  await screenshot('06-token-revoked.png');

  const client = new McpClient(`${proxy.mainUrl}/mcp`, secret);
  await waitFor('the revoked token to be refused', async () => (await client.initialize()).status === 401,
    { timeoutMs: 5000 });
});

test('deleting the token removes it from the list', async () => {
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Delete reader' }).click();
  await page.locator('#tokens-body tr[data-token="reader"]').waitFor({ state: 'detached' });
  await page.getByText('No agent tokens yet.').waitFor();
  assert.equal((await adminApi(proxy, 'tokens/reader')).status, 404);
});

test('signing out forgets the admin key', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Admin key').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('mcpproxy.adminKey')), null);
  assert.deepEqual(onlyRealProblems(browser.problems), [], 'no script errors or CSP violations');
});
