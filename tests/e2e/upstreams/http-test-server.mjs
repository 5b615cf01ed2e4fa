#!/usr/bin/env node
// Our Streamable-HTTP MCP test upstream (stateful sessions).
// Usage: node http-test-server.mjs [port]   (or PORT=...; 0 or unset picks a free port)
// Prints exactly one line "LISTENING <port>" on stdout once it accepts connections.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { createTestServer } from './test-server.mjs';

const HOST = '127.0.0.1';
const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`http-test-server: invalid port ${process.argv[2] ?? process.env.PORT}`);
  process.exit(2);
}

const sessions = new Map(); // Mcp-Session-Id -> transport

function jsonError(res, status, message) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function startSession(req, res, body) {
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => sessions.set(id, transport),
  });
  transport.onclose = () => {
    if (transport.sessionId) sessions.delete(transport.sessionId);
  };
  await createTestServer('http').connect(transport);
  await transport.handleRequest(req, res, body);
}

async function handle(req, res) {
  if (new URL(req.url, `http://${HOST}`).pathname !== '/mcp') return jsonError(res, 404, 'Not found');
  const sessionId = req.headers['mcp-session-id'];
  if (req.method === 'POST') {
    let body;
    try {
      body = await readJson(req);
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null }));
    }
    if (sessionId === undefined) {
      if (!isInitializeRequest(body)) return jsonError(res, 400, 'Bad Request: Mcp-Session-Id header is required');
      return startSession(req, res, body);
    }
    const transport = sessions.get(sessionId);
    if (!transport) return jsonError(res, 404, 'Session not found');
    return transport.handleRequest(req, res, body);
  }
  if (req.method === 'GET' || req.method === 'DELETE') {
    if (sessionId === undefined) return jsonError(res, 400, 'Bad Request: Mcp-Session-Id header is required');
    const transport = sessions.get(sessionId);
    if (!transport) return jsonError(res, 404, 'Session not found');
    return transport.handleRequest(req, res);
  }
  res.setHeader('allow', 'GET, POST, DELETE');
  return jsonError(res, 405, 'Method not allowed');
}

const server = createServer((req, res) => {
  handle(req, res).catch((error) => {
    console.error('http-test-server: request failed:', error);
    if (!res.headersSent) jsonError(res, 500, 'Internal server error');
    else res.end();
  });
});

server.listen(port, HOST, () => {
  process.stdout.write(`LISTENING ${server.address().port}\n`);
});

async function shutdown() {
  server.close();
  server.closeAllConnections();
  await Promise.allSettled([...sessions.values()].map((transport) => transport.close()));
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
