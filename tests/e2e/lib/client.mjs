// The official MCP TypeScript SDK client, unmodified, connected over Streamable HTTP.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

function rpcMethodOf(body) {
  try {
    return typeof body === 'string' ? JSON.parse(body).method : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A fetch that records every HTTP exchange and can make the SDK offer an older protocol version
 * in `initialize` (the SDK always offers its latest; it accepts any version it supports back).
 */
function recordingFetch(exchanges, protocolVersion) {
  return async (url, init = {}) => {
    let body = init.body;
    if (protocolVersion && typeof body === 'string') {
      const message = JSON.parse(body);
      if (message.method === 'initialize') {
        message.params.protocolVersion = protocolVersion;
        body = JSON.stringify(message);
      }
    }
    const method = init.method ?? 'GET';
    const requestHeaders = Object.fromEntries(new Headers(init.headers).entries());
    const response = await fetch(url, { ...init, body });
    exchanges.push({
      method,
      rpcMethod: rpcMethodOf(body),
      requestHeaders,
      status: response.status,
      contentType: response.headers.get('content-type'),
    });
    return response;
  };
}

/**
 * Connects an SDK Client to `url`.
 * Options: headers (extra request headers, e.g. Authorization), protocolVersion (offered in
 * initialize), onSampling / onElicitation (request handlers; the capability is declared only
 * when a handler is given), name.
 * Returns { client, transport, errors, exchanges, close() }. `errors` collects transport/protocol
 * errors the SDK reports out of band (e.g. a failed GET stream), `exchanges` every HTTP exchange.
 */
export async function connectClient(url, { headers, protocolVersion, onSampling, onElicitation, name = 'mcpproxy-e2e' } = {}) {
  const capabilities = {};
  if (onSampling) capabilities.sampling = {};
  if (onElicitation) capabilities.elicitation = {};
  const client = new Client({ name, version: '1.0.0' }, { capabilities });
  if (onSampling) client.setRequestHandler(CreateMessageRequestSchema, onSampling);
  if (onElicitation) client.setRequestHandler(ElicitRequestSchema, onElicitation);

  const errors = [];
  const exchanges = [];
  client.onerror = (error) => errors.push(error);
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: headers ? { headers } : undefined,
    fetch: recordingFetch(exchanges, protocolVersion),
  });
  try {
    await client.connect(transport);
  } catch (error) {
    const seen = exchanges.map((x) => `${x.method} ${x.rpcMethod ?? ''} -> ${x.status} ${x.contentType ?? ''}`);
    error.message = `connecting to ${url} failed: ${error.message}\nHTTP exchanges: ${seen.join('; ') || 'none'}`;
    throw error;
  }

  let closed = false;
  return {
    client,
    transport,
    errors,
    exchanges,
    /** Ends the session with DELETE (unless terminate is false) and closes the client. */
    async close({ terminate = true } = {}) {
      if (closed) return;
      closed = true;
      try {
        if (terminate) await transport.terminateSession();
      } finally {
        await client.close();
      }
    },
  };
}

/** The text of the first text content block of a tool result. */
export function resultText(result) {
  const block = result.content?.find((item) => item.type === 'text');
  if (!block) throw new Error(`no text content in result: ${JSON.stringify(result)}`);
  return block.text;
}
