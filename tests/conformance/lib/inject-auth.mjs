// Preloaded (node --import) into the conformance CLI for the agent-token configuration only.
// The suite has no option for custom headers, so this adds the agent token, as any real client
// would, to every fetch() aimed at the proxy's origin. It touches nothing else: no body, no other
// header, no other origin. The SDK client transport and the raw fetch() calls of the SSE
// scenarios all use the global fetch; dns-rebinding-protection uses undici's request() and so
// runs without the token (see README.md).
const origin = process.env.MCPPROXY_CONFORMANCE_ORIGIN;
const token = process.env.MCPPROXY_CONFORMANCE_TOKEN;
if (!origin || !token) throw new Error('inject-auth.mjs needs MCPPROXY_CONFORMANCE_ORIGIN and _TOKEN');

const originalFetch = globalThis.fetch;
globalThis.fetch = (input, init = {}) => {
  const url = typeof input === 'string' || input instanceof URL ? new URL(input) : new URL(input.url);
  if (url.origin !== origin) return originalFetch(input, init);
  const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
  headers.set('Authorization', `Bearer ${token}`);
  return originalFetch(input, { ...init, headers });
};
