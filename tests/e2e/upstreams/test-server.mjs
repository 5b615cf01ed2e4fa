// The tools, prompt and resources of our own test upstream, shared by the stdio and the
// Streamable-HTTP variants so both expose exactly the same surface.
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CreateMessageResultSchema, ElicitResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

export const WELCOME_TEXT = 'Welcome to the mcpproxy test upstream.';
const PROGRESS_INTERVAL_MS = 100;

// Process-wide state: notes survive across sessions so a test can write through one session and
// read through another; counters let a test prove that a cancellation reached the upstream.
const notes = new Map();
const slowStats = { started: 0, completed: 0, cancelled: 0 };

const text = (value) => ({ content: [{ type: 'text', text: value }] });

const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

// Only the headers the tests ask about, so a header the proxy must not forward is easy to spot.
const REPORTED_HEADERS = ['authorization', 'x-api-key', 'cookie', 'x-test-marker'];

function registerTools(server, transportName) {
  server.registerTool('echo', {
    title: 'Echo',
    description: 'Returns the given text unchanged.',
    inputSchema: { text: z.string().describe('Text to echo back') },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  }, async ({ text: value }) => text(value));

  server.registerTool('add', {
    title: 'Add',
    description: 'Adds two numbers and returns the sum as structured output.',
    inputSchema: { a: z.number(), b: z.number() },
    outputSchema: { sum: z.number() },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  }, async ({ a, b }) => ({
    content: [{ type: 'text', text: JSON.stringify({ sum: a + b }) }],
    structuredContent: { sum: a + b },
  }));

  server.registerTool('write_note', {
    title: 'Write note',
    description: 'Stores a note under an id (readable as resource note://{id}).',
    inputSchema: { id: z.string().regex(/^[A-Za-z0-9_-]+$/), text: z.string() },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  }, async ({ id, text: body }) => {
    notes.set(id, body);
    return text(`stored note ${id}`);
  });

  server.registerTool('delete_note', {
    title: 'Delete note',
    description: 'Deletes the note with the given id.',
    inputSchema: { id: z.string() },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  }, async ({ id }) => text(notes.delete(id) ? `deleted note ${id}` : `no note ${id}`));

  server.registerTool('slow', {
    title: 'Slow',
    description: 'Sleeps for ms milliseconds, reporting progress every 100 ms; can be cancelled.',
    inputSchema: { ms: z.number().int().min(0).max(600000).default(1000) },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  }, async ({ ms }, extra) => {
    slowStats.started += 1;
    const progressToken = extra._meta?.progressToken;
    const start = Date.now();
    for (let elapsed = 0; elapsed < ms; elapsed = Date.now() - start) {
      await sleep(Math.min(PROGRESS_INTERVAL_MS, ms - elapsed), extra.signal);
      if (extra.signal.aborted) {
        slowStats.cancelled += 1;
        throw new Error('slow: cancelled');
      }
      if (progressToken !== undefined) {
        await extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken, progress: Math.min(Date.now() - start, ms), total: ms, message: 'sleeping' },
        });
      }
    }
    slowStats.completed += 1;
    return text(`slept ${ms} ms`);
  });

  server.registerTool('slow_stats', {
    title: 'Slow stats',
    description: 'Counts of slow calls started, completed and cancelled in this upstream process.',
    outputSchema: { started: z.number(), completed: z.number(), cancelled: z.number() },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  }, async () => ({ content: [{ type: 'text', text: JSON.stringify(slowStats) }], structuredContent: { ...slowStats } }));

  server.registerTool('ask_llm', {
    title: 'Ask LLM',
    description: 'Sends a sampling/createMessage request to the client and returns the reply text.',
    inputSchema: { prompt: z.string() },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  }, async ({ prompt }, extra) => {
    const reply = await extra.sendRequest({
      method: 'sampling/createMessage',
      params: {
        messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
        systemPrompt: 'You are a test model.',
        maxTokens: 64,
      },
    }, CreateMessageResultSchema);
    const content = Array.isArray(reply.content) ? reply.content[0] : reply.content;
    return text(content?.type === 'text' ? content.text : JSON.stringify(reply.content));
  });

  server.registerTool('ask_user', {
    title: 'Ask user',
    description: 'Sends an elicitation/create request to the client and returns the answer.',
    inputSchema: { question: z.string() },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  }, async ({ question }, extra) => {
    const reply = await extra.sendRequest({
      method: 'elicitation/create',
      params: {
        message: question,
        requestedSchema: {
          type: 'object',
          properties: { answer: { type: 'string', description: 'Your answer' } },
          required: ['answer'],
        },
      },
    }, ElicitResultSchema);
    return text(reply.action === 'accept' ? String(reply.content?.answer) : `user chose ${reply.action}`);
  });

  server.registerTool('whoami', {
    title: 'Who am I',
    description: 'Reports the credential headers this upstream received with the call (null on stdio).',
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  }, async (extra) => {
    const seen = extra.requestInfo?.headers ?? {};
    const report = { transport: transportName };
    for (const name of REPORTED_HEADERS) report[name] = seen[name] ?? null;
    return text(JSON.stringify(report));
  });
}

function registerPrompts(server) {
  server.registerPrompt('greeting', {
    title: 'Greeting',
    description: 'A greeting for the given name.',
    argsSchema: { name: z.string().describe('Who to greet') },
  }, ({ name }) => ({
    description: `Greeting for ${name}`,
    messages: [{ role: 'user', content: { type: 'text', text: `Hello, ${name}!` } }],
  }));
}

function registerResources(server) {
  server.registerResource('welcome', 'note://welcome', {
    title: 'Welcome note',
    description: 'A fixed welcome text.',
    mimeType: 'text/plain',
  }, async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: WELCOME_TEXT }] }));

  server.registerResource('note', new ResourceTemplate('note://{id}', { list: undefined }), {
    title: 'Note',
    description: 'A note stored with write_note.',
    mimeType: 'text/plain',
  }, async (uri, { id }) => {
    if (!notes.has(id)) throw new Error(`no note ${id}`);
    return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: notes.get(id) }] };
  });
}

/** A fresh McpServer (one per session: an McpServer serves a single transport). */
export function createTestServer(transportName) {
  const server = new McpServer(
    { name: 'mcpproxy-test-upstream', version: '1.0.0' },
    { capabilities: { tools: {}, prompts: {}, resources: {} } },
  );
  registerTools(server, transportName);
  registerPrompts(server);
  registerResources(server);
  return server;
}
