// mcpproxy web UI: plain JavaScript over the management REST API (/api/v1/).
// The admin key lives in sessionStorage only and goes out as a Bearer header. Data from the API is
// put on the page with textContent / text nodes, never as HTML.
'use strict';

(() => {
  const KEY_STORAGE = 'mcpproxy.adminKey';
  const VIEWS = ['status', 'servers', 'tokens', 'activity'];
  const ACTIVITY_REFRESH_MS = 5000;

  const $ = (id) => document.getElementById(id);
  let activityTimer = null;

  // ---- small DOM helpers -------------------------------------------------------------------

  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) {
      if (name === 'class') node.className = value;
      else if (name === 'onclick') node.addEventListener('click', value);
      else node.setAttribute(name, value);
    }
    for (const child of children) node.append(child instanceof Node ? child : String(child ?? ''));
    return node;
  }

  function fillTable(tbody, rows, emptyText) {
    const columns = tbody.closest('table').querySelectorAll('thead th').length;
    if (rows.length === 0) {
      rows = [el('tr', {}, el('td', { colspan: String(columns), class: 'empty' }, emptyText))];
    }
    tbody.replaceChildren(...rows);
  }

  function row(...cells) {
    return el('tr', {}, ...cells.map((c) => (c instanceof Node && c.nodeName === 'TD' ? c : el('td', {}, c))));
  }

  function badge(text, kind) {
    return el('span', { class: 'badge ' + (kind || text) }, text);
  }

  function notice(text, kind = 'info') {
    const n = $('notice');
    n.textContent = text;
    n.className = kind;
    n.hidden = !text;
  }

  function formatTime(rfc3339) {
    if (!rfc3339) return 'never';
    return rfc3339.replace('T', ' ').replace(/\.\d+/, '').replace('Z', '');
  }

  function formatUptime(seconds) {
    const d = Math.floor(seconds / 86400);
    const h = Math.floor((seconds % 86400) / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    const parts = [];
    if (d) parts.push(d + ' d');
    if (d || h) parts.push(h + ' h');
    if (d || h || m) parts.push(m + ' min');
    parts.push(s + ' s');
    return parts.join(' ');
  }

  async function copyText(text, button) {
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      const area = el('textarea', { readonly: '', class: 'offscreen' });
      area.value = text;
      document.body.append(area);
      area.select();
      ok = document.execCommand('copy');
      area.remove();
    }
    const label = button.textContent;
    button.textContent = ok ? 'Copied' : 'Select and copy by hand';
    setTimeout(() => { button.textContent = label; }, 1500);
  }

  // ---- the API -------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, body) {
      super((body && (body.message || body.error)) || 'HTTP ' + status);
      this.status = status;
    }
  }

  function adminKey() {
    return sessionStorage.getItem(KEY_STORAGE) || '';
  }

  async function api(path, { method = 'GET', body } = {}) {
    const headers = { Authorization: 'Bearer ' + adminKey(), Accept: 'application/json' };
    const init = { method, headers, cache: 'no-store', credentials: 'omit' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch('/api/v1/' + path, init);
    const text = await res.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (res.status === 401) {
      signOut('The admin key was not accepted. Sign in again.');
      throw new ApiError(401, data);
    }
    if (!res.ok) throw new ApiError(res.status, data);
    return data;
  }

  // Runs an action, reporting failures in the notice line.
  async function attempt(what, action) {
    try {
      return await action();
    } catch (e) {
      if (e.status !== 401) notice(what + ' failed: ' + e.message, 'error');
      return undefined;
    }
  }

  // ---- navigation ----------------------------------------------------------------------------

  function showOnly(id) {
    for (const section of document.querySelectorAll('.view')) section.hidden = section.id !== id;
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY_STORAGE);
    hideSecret();
    $('login-error').textContent = message || '';
    route();
  }

  function route() {
    clearInterval(activityTimer);
    activityTimer = null;
    const signedIn = adminKey() !== '';
    $('nav').hidden = !signedIn;
    $('sign-out').hidden = !signedIn;
    if (!signedIn) {
      notice('');
      showOnly('view-login');
      $('admin-key').focus();
      return;
    }
    let view = location.hash.slice(1);
    if (!VIEWS.includes(view)) view = 'status';
    for (const link of $('nav').querySelectorAll('a')) {
      if (link.getAttribute('href') === '#' + view) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    if (view !== 'tokens') hideSecret();
    showOnly('view-' + view);
    notice('');
    LOADERS[view]();
  }

  // ---- status --------------------------------------------------------------------------------

  function clientUrl(status) {
    for (const t of status.tunnels) if (t.public_url) return t.public_url.replace(/\/+$/, '');
    const listener = status.listeners.find((l) => l.role === 'tunnel') ||
                     status.listeners.find((l) => l.role === 'local');
    if (!listener) return location.origin;
    let address = listener.address;
    if (address.startsWith('0.0.0.0:') || address.startsWith('[::]:')) {
      address = location.hostname + address.slice(address.lastIndexOf(':'));
    }
    return 'http://' + address;
  }

  function renderSnippets(url) {
    const endpoint = url + '/mcp';
    $('client-url').textContent = endpoint;
    const opencode = {
      mcp: { mcpproxy: { type: 'remote', url: endpoint, headers: { Authorization: 'Bearer <token>' } } },
    };
    $('snippet-opencode').textContent = JSON.stringify(opencode, null, 2);
    $('snippet-claude').textContent =
      'claude mcp add --transport http mcpproxy ' + endpoint + ' --header "Authorization: Bearer <token>"';
  }

  async function loadStatus() {
    const s = await attempt('Loading the status', () => api('status'));
    if (!s) return;
    const facts = [
      ['Version', s.version],
      ['Uptime', formatUptime(s.uptime_seconds)],
      ['Ready', s.ready ? 'yes' : 'no: ' + s.not_ready.map((p) => p.component + ' (' + p.detail + ')').join(', ')],
      ['Sessions', s.sessions],
    ];
    if (s.degraded.length) facts.push(['Degraded', s.degraded.map((d) => d.component + ': ' + d.detail).join('; ')]);
    $('status-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));

    fillTable($('listeners-body'), s.listeners.map((l) => row(l.name, l.address, l.role)), 'No listeners.');

    const tunneled = s.listeners.find((l) => l.role === 'tunnel');
    const publicUrl = (s.tunnels.find((t) => t.public_url) || {}).public_url;
    $('tunnel-summary').textContent = tunneled
      ? 'Tunnel mode is on: listener ' + tunneled.name + ' (' + tunneled.address + ') serves /mcp and /healthz only. ' +
        (publicUrl ? 'Public URL: ' + publicUrl : 'No public URL reported.')
      : 'Tunnel mode is off.';
    fillTable($('tunnels-body'), s.tunnels.map((t) =>
      row(t.plugin + ' (' + t.provider + ')', badge(t.state), t.public_url || '-', t.restarts, t.detail || '')),
    'No tunnel adapter is loaded.');

    renderSnippets(clientUrl(s));

    fillTable($('plugins-body'), s.plugins.map((p) =>
      row(p.name, p.kind, p.version, p.failed ? badge('failed') : p.started ? badge('started', 'ready') : badge('stopped'),
        p.health)),
    'No plugins are loaded.');
  }

  // ---- servers and tools ---------------------------------------------------------------------

  function serverAction(name, action) {
    return el('button', {
      type: 'button',
      class: 'small',
      'aria-label': action[0].toUpperCase() + action.slice(1) + ' ' + name,
      onclick: async () => {
        const done = await attempt(action + ' ' + name, () =>
          api('servers/' + encodeURIComponent(name) + '/' + action, { method: 'POST' }));
        if (done) notice('Asked ' + name + ' to ' + action + '.', 'ok');
        await loadServers(false);
      },
    }, action[0].toUpperCase() + action.slice(1));
  }

  async function loadServers(withTools = true) {
    const servers = await attempt('Loading the servers', () => api('servers'));
    if (!servers) return;
    fillTable($('servers-body'), servers.map((s) => {
      const actions = el('td', { class: 'actions' }, serverAction(s.name, 'restart'),
        serverAction(s.name, s.state === 'disabled' ? 'enable' : 'disable'));
      if (s.quarantined) actions.append(serverAction(s.name, 'approve'));
      const state = el('td', {}, badge(s.state));
      if (s.quarantined) state.append(' ', badge('quarantined'));
      return row(s.name, s.transport, state, s.tools, s.restarts, s.last_error || '', actions);
    }), 'No upstream servers are configured.');

    const select = $('tools-server');
    const chosen = select.value;
    select.replaceChildren(el('option', { value: '' }, 'All servers'),
      ...servers.map((s) => el('option', { value: s.name }, s.name)));
    select.value = servers.some((s) => s.name === chosen) ? chosen : '';
    if (withTools) await loadTools();
  }

  async function loadTools() {
    const q = $('tools-q').value.trim();
    const tools = await attempt('Loading the tools', () =>
      api('tools' + (q ? '?q=' + encodeURIComponent(q) + '&limit=200' : '')));
    if (!tools) return;
    const server = $('tools-server').value;
    const shown = tools.filter((t) => !server || t.server === server);
    fillTable($('tools-body'), shown.map((t) =>
      row(t.server, t.name, badge(t.permission), t.description || '')),
    q ? 'No tool matches.' : 'No tools yet.');
  }

  // ---- tokens --------------------------------------------------------------------------------

  function showSecret(issued) {
    $('secret-name').textContent = issued.name;
    $('secret-value').textContent = issued.token;
    $('secret-panel').hidden = false;
    $('secret-done').focus();
  }

  function hideSecret() {
    $('secret-panel').hidden = true;
    $('secret-value').textContent = '';
    $('secret-name').textContent = '';
  }

  function tokenButton(label, name, handler) {
    return el('button', { type: 'button', class: 'small', 'aria-label': label + ' ' + name, onclick: handler }, label);
  }

  function tokenActions(t) {
    const path = 'tokens/' + encodeURIComponent(t.name);
    const td = el('td', { class: 'actions' });
    if (t.status !== 'revoked') {
      td.append(tokenButton('Revoke', t.name, async () => {
        if (!confirm('Revoke token ' + t.name + '? Agents using it are refused at once.')) return;
        if (await attempt('Revoking ' + t.name, () => api(path + '/revoke', { method: 'POST' }))) {
          notice('Token ' + t.name + ' is revoked.', 'ok');
        }
        await loadTokens();
      }));
      td.append(tokenButton('Regenerate', t.name, async () => {
        if (!confirm('Give token ' + t.name + ' a new secret? The old secret stops working at once.')) return;
        const body = t.status === 'expired' ? { expires: '30d' } : {};
        const issued = await attempt('Regenerating ' + t.name, () =>
          api(path + '/regenerate', { method: 'POST', body }));
        if (issued) showSecret(issued);
        await loadTokens();
      }));
    }
    td.append(tokenButton('Delete', t.name, async () => {
      if (!confirm('Delete token ' + t.name + ' and its record?')) return;
      if (await attempt('Deleting ' + t.name, () => api(path, { method: 'DELETE' }))) {
        notice('Token ' + t.name + ' is deleted.', 'ok');
      }
      await loadTokens();
    }));
    return td;
  }

  async function loadTokens() {
    const tokens = await attempt('Loading the tokens', () => api('tokens'));
    if (!tokens) return;
    fillTable($('tokens-body'), tokens.map((t) => {
      const tr = row(t.name, t.servers.join(', '), t.permissions.join(', '), el('td', {}, badge(t.status)),
        formatTime(t.expires_at), formatTime(t.last_used_at), tokenActions(t));
      tr.dataset.token = t.name;
      return tr;
    }), 'No agent tokens yet.');
  }

  async function createToken(event) {
    event.preventDefault();
    const body = {
      name: $('token-name').value.trim(),
      servers: $('token-servers').value.trim(),
      permissions: $('token-permissions').value,
      expires: $('token-expires').value.trim(),
    };
    const issued = await attempt('Creating the token', () => api('tokens', { method: 'POST', body }));
    if (!issued) return;
    notice('Token ' + issued.name + ' is created.', 'ok');
    $('token-form').reset();
    showSecret(issued);
    await loadTokens();
  }

  // ---- activity ------------------------------------------------------------------------------

  async function loadActivity() {
    const params = new URLSearchParams({ limit: '200' });
    for (const [field, name] of [['activity-agent', 'agent'], ['activity-server', 'server'],
      ['activity-decision', 'decision'], ['activity-since', 'since']]) {
      const value = $(field).value.trim();
      if (value) params.set(name, value);
    }
    const records = await attempt('Loading the activity', () => api('activity?' + params.toString()));
    if (!records) return;
    fillTable($('activity-body'), records.map((r) => {
      const status = r.http_status + (r.jsonrpc_error !== null ? ' / ' + r.jsonrpc_error : '');
      return row(formatTime(r.time), r.identity_name, r.client_address, r.listener, r.method, r.server || '',
        r.tool || '', el('td', {}, badge(r.decision)), r.reason || '', status,
        (r.latency_us / 1000).toFixed(1) + ' ms');
    }), 'No activity matches.');
  }

  function startActivity() {
    loadActivity();
    clearInterval(activityTimer);
    if ($('activity-auto').checked) activityTimer = setInterval(loadActivity, ACTIVITY_REFRESH_MS);
  }

  const LOADERS = { status: loadStatus, servers: loadServers, tokens: loadTokens, activity: startActivity };

  // ---- wiring --------------------------------------------------------------------------------

  async function signIn(event) {
    event.preventDefault();
    const key = $('admin-key').value.trim();
    if (!key) return;
    sessionStorage.setItem(KEY_STORAGE, key);
    $('admin-key').value = '';
    try {
      await api('status');
    } catch (e) {
      if (e.status !== 401) {
        sessionStorage.removeItem(KEY_STORAGE);
        $('login-error').textContent = 'Cannot reach the proxy: ' + e.message;
      }
      return;
    }
    $('login-error').textContent = '';
    if (!VIEWS.includes(location.hash.slice(1))) location.hash = '#status';
    route();
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('login-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', () => signOut(''));
    $('token-form').addEventListener('submit', createToken);
    $('secret-done').addEventListener('click', hideSecret);
    $('tools-form').addEventListener('submit', (e) => { e.preventDefault(); loadTools(); });
    $('tools-server').addEventListener('change', loadTools);
    $('activity-form').addEventListener('submit', (e) => { e.preventDefault(); startActivity(); });
    $('activity-auto').addEventListener('change', startActivity);
    for (const button of document.querySelectorAll('button.copy')) {
      button.addEventListener('click', () => copyText($(button.dataset.copy).textContent, button));
    }
    window.addEventListener('hashchange', route);
    route();
  });
})();
