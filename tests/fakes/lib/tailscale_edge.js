'use strict';
// What tailscaled's Serve/Funnel reverse proxy does to a request before it reaches the target
// (ipn/ipnlocal/serve.go): drops client-sent Tailscale-* identity headers, sets X-Forwarded-*,
// and adds Tailscale-User-Login/Name/Profile-Pic for tailnet (Serve) requests, or
// Tailscale-Funnel-Request for Funnel requests (never identity headers).
const { startEdge } = require('./edge.js');

const STRIP = ['tailscale-user-login', 'tailscale-user-name', 'tailscale-user-profile-pic', 'tailscale-funnel-request', 'tailscale-headers-info', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto'];

// hostPort: the serve config key ("box.tail1234.ts.net:443"); mode: {peer} for Serve,
// {funnel: true, clientIP} for Funnel.
function startTailscaleEdge(target, hostPort, mode) {
  const publicHost = hostPort.endsWith(':443') ? hostPort.slice(0, -4) : hostPort;
  return startEdge({
    target,
    publicHost,
    stripHeaders: STRIP,
    headers: () => {
      const h = { 'x-forwarded-host': publicHost, 'x-forwarded-proto': 'https' };
      if (mode.funnel) {
        h['x-forwarded-for'] = mode.clientIP;
        h['tailscale-funnel-request'] = '?1';
      } else {
        h['x-forwarded-for'] = mode.peer.ip;
        h['tailscale-user-login'] = mode.peer.login;
        h['tailscale-user-name'] = mode.peer.name;
        h['tailscale-user-profile-pic'] = mode.peer.pic;
        h['tailscale-headers-info'] = 'https://tailscale.com/s/serve-headers';
      }
      return h;
    },
  });
}

module.exports = { startTailscaleEdge };
