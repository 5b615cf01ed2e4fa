'use strict';
// The "edge" of a fake tunnel provider: an HTTP server on a loopback port that forwards every
// request to the daemon's target (the tunneled mcpproxy listener) the way the provider's edge
// delivers it: the Host header is the public host name (what the real client asked for), the
// provider's headers are added, bodies and responses stream both ways (SSE works, nothing is
// buffered). No npm dependencies. Shared by the cloudflared, tailscale and ngrok fakes.
//
//   const { startEdge } = require('./lib/edge');
//   const edge = await startEdge({
//     target: 'http://127.0.0.1:8080',          // where the daemon forwards to
//     publicHost: 'abc.trycloudflare.com',      // Host header the origin sees
//     headers: (req, clientIp) => ({ 'Cf-Ray': '...' }),  // provider headers, per request
//     stripHeaders: ['cf-connecting-ip'],       // client-sent headers the edge never passes on
//     port: 0,                                  // 0: any free port
//   });
//   edge.port; edge.setTarget(url); edge.setPublicHost(h); edge.setDown(true); await edge.close();
//
// setDown(true) makes the edge answer 502/530 like an edge whose connector is gone.

const http = require('node:http');
const { URL } = require('node:url');

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade',
]);

function clientAddress(req) {
  let ip = req.socket.remoteAddress || '127.0.0.1';
  if (ip.startsWith('::ffff:')) ip = ip.slice(7);
  return ip;
}

function startEdge(options) {
  let target = new URL(options.target);
  let publicHost = options.publicHost;
  let down = false;
  const strip = new Set((options.stripHeaders || []).map((h) => h.toLowerCase()));
  const downStatus = options.downStatus || 502;
  const downBody = options.downBody || 'Bad gateway: the tunnel is not connected\n';
  const sockets = new Set();

  const server = http.createServer((req, res) => {
    if (down) {
      res.writeHead(downStatus, { 'content-type': 'text/plain' });
      res.end(downBody);
      return;
    }
    const ip = options.clientIp || clientAddress(req);
    const headers = {};
    for (const [name, value] of Object.entries(req.headers)) {
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower) || strip.has(lower) || lower === 'host') continue;
      headers[lower] = value;
    }
    headers.host = publicHost;
    const extra = options.headers ? options.headers(req, ip) : {};
    for (const [name, value] of Object.entries(extra)) {
      if (value !== undefined && value !== null) headers[name.toLowerCase()] = value;
    }
    const upstream = http.request({
      host: target.hostname.replace(/^\[|\]$/g, ''),
      port: target.port || 80,
      method: req.method,
      path: req.url,
      headers,
    }, (upRes) => {
      const out = {};
      for (const [name, value] of Object.entries(upRes.headers)) {
        if (!HOP_BY_HOP.has(name.toLowerCase())) out[name] = value;
      }
      res.writeHead(upRes.statusCode, upRes.statusMessage, out);
      res.flushHeaders();
      upRes.on('data', (chunk) => res.write(chunk));
      upRes.on('end', () => res.end());
      upRes.on('error', () => res.destroy());
    });
    upstream.on('error', () => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('Bad gateway: the origin did not answer\n');
      } else {
        res.destroy();
      }
    });
    req.pipe(upstream);
    res.on('close', () => upstream.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 5000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port || 0, '127.0.0.1', () => {
      resolve({
        port: server.address().port,
        setTarget(url) { target = new URL(url); },
        setPublicHost(host) { publicHost = host; },
        setDown(value) { down = Boolean(value); },
        close() {
          for (const s of sockets) s.destroy();
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}

module.exports = { startEdge, clientAddress };
