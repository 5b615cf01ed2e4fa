'use strict';
// What tailscaled's Serve/Funnel reverse proxy does to a request before it reaches the target
// (ipn/ipnlocal/serve.go): drops client-sent Tailscale-* identity headers, sets X-Forwarded-*,
// and adds Tailscale-User-Login/Name/Profile-Pic for tailnet (Serve) requests, or
// Tailscale-Funnel-Request for Funnel requests (never identity headers).
const { forwarder } = require('./edge.js');

const IDENTITY = ['tailscale-user-login', 'tailscale-user-name', 'tailscale-user-profile-pic', 'tailscale-funnel-request', 'tailscale-headers-info'];

function forwardTo(target, hostPort, mode) {
  const host = hostPort.endsWith(':443') ? hostPort.slice(0, -4) : hostPort;
  return forwarder(target, (headers) => {
    for (const name of IDENTITY) delete headers[name];
    headers['x-forwarded-host'] = host;
    headers['x-forwarded-proto'] = 'https';
    if (mode.funnel) {
      headers['x-forwarded-for'] = mode.clientIP;
      headers['tailscale-funnel-request'] = '?1';
    } else {
      headers['x-forwarded-for'] = mode.peer.ip;
      headers['tailscale-user-login'] = mode.peer.login;
      headers['tailscale-user-name'] = mode.peer.name;
      headers['tailscale-user-profile-pic'] = mode.peer.pic;
      headers['tailscale-headers-info'] = 'https://tailscale.com/s/serve-headers';
    }
    headers.host = host;
  });
}

module.exports = { forwardTo };
