#!/usr/bin/env node
// A minimal MCP Streamable HTTP client for bench/rotation.sh (the smoke tests use curl, which can
// reach an origin through --resolve/--cacert). No npm dependencies (Node >= 20: fetch).
//
//   heartbeat.mjs heartbeat --url U --token-file F --stats FILE [--interval-ms 100] [--retry-ms 15000]
//
// `heartbeat` keeps one session and calls call_tool_read (everything:echo) back to back until
// SIGTERM, reading the token from F before every call (the client "switches" when F changes). A call
// whose first attempt fails is retried until it succeeds or --retry-ms passes; it counts as
// "retried" or "failed". On exit it writes {attempted, succeeded, failed, retried, attempts, errors}.
import fs from 'node:fs';

const [command, ...rest] = process.argv.slice(2);
const opt = {};
for (let i = 0; i < rest.length; i += 2) opt[rest[i].replace(/^--/, '')] = rest[i + 1];
const base = (opt.url || '').replace(/\/+$/, '');
const PROTOCOL = '2025-06-18';

function headers(token, session) {
  const h = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': PROTOCOL,
  };
  if (token) h.authorization = `Bearer ${token}`;
  if (session) h['mcp-session-id'] = session;
  return h;
}

// The JSON-RPC answer from a JSON body or from the SSE stream's message with our id.
async function readAnswer(res, id) {
  const text = await res.text();
  if ((res.headers.get('content-type') || '').includes('text/event-stream')) {
    for (const block of text.split(/\n\n/)) {
      const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5)).join('\n');
      if (!data.trim()) continue;
      const msg = JSON.parse(data);
      if (msg.id === id) return msg;
    }
    throw new Error(`no answer for id ${id} in the SSE stream`);
  }
  return JSON.parse(text);
}

class Session {
  constructor(url, token) {
    this.url = url;
    this.token = token;
    this.session = '';
    this.nextId = 1;
  }

  async rpc(method, params) {
    const id = this.nextId++;
    const res = await fetch(this.url, {
      method: 'POST',
      headers: headers(this.token, this.session),
      body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
      signal: AbortSignal.timeout(10000),
    });
    if (res.status !== 200) {
      const body = await res.text();
      const e = new Error(`${method}: HTTP ${res.status} ${body.slice(0, 200)}`);
      e.status = res.status;
      throw e;
    }
    const sid = res.headers.get('mcp-session-id');
    if (sid) this.session = sid;
    const msg = await readAnswer(res, id);
    if (msg.error) throw new Error(`${method}: ${JSON.stringify(msg.error)}`);
    return msg.result;
  }

  async open() {
    await this.rpc('initialize', {
      protocolVersion: PROTOCOL,
      capabilities: {},
      clientInfo: { name: 'mcpproxy-recipe-smoke', version: '1' },
    });
    const res = await fetch(this.url, {
      method: 'POST',
      headers: headers(this.token, this.session),
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      signal: AbortSignal.timeout(10000),
    });
    await res.text();
  }

  async tool(name, args) {
    const result = await this.rpc('tools/call', { name, arguments: args });
    if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content)}`);
    return result;
  }
}

async function heartbeat() {
  const interval = Number(opt['interval-ms'] || 100);
  const retryFor = Number(opt['retry-ms'] || 15000);
  const tokenOf = () => fs.readFileSync(opt['token-file'], 'utf8').trim();
  const stats = { attempted: 0, succeeded: 0, failed: 0, retried: 0, attempts: 0, errors: [] };
  let stopping = false;
  const finish = () => {
    fs.writeFileSync(opt.stats, JSON.stringify(stats, null, 2));
    process.exit(0);
  };
  process.on('SIGTERM', () => {
    stopping = true;
  });
  let s = null;
  const once = async (n) => {
    const token = tokenOf();
    if (!s) {
      s = new Session(`${base}/mcp`, token);
      await s.open();
    }
    s.token = token;
    const answer = await s.tool('call_tool_read', { name: 'everything:echo', args: { message: `beat ${n}` } });
    if (!answer.content[0].text.includes(`beat ${n}`)) throw new Error('wrong echo');
  };
  for (let n = 1; !stopping; n += 1) {
    stats.attempted += 1;
    const started = Date.now();
    let first = true;
    for (;;) {
      stats.attempts += 1;
      try {
        await once(n);
        stats.succeeded += 1;
        if (!first) stats.retried += 1;
        break;
      } catch (e) {
        if (stats.errors.length < 20) stats.errors.push(`call ${n}: ${e.message}`);
        // A session the proxy no longer knows (404) is opened again on the next attempt.
        if (e.status === 404) s = null;
        first = false;
        if (Date.now() - started > retryFor) {
          stats.failed += 1;
          break;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await new Promise((r) => setTimeout(r, interval));
  }
  finish();
}

const commands = { heartbeat };
if (!commands[command]) {
  console.error('usage: heartbeat.mjs heartbeat --url URL ...');
  process.exit(2);
}
commands[command]().catch((e) => {
  console.error(`mcp-client: ${e.message}`);
  process.exit(1);
});
