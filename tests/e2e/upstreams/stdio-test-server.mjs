#!/usr/bin/env node
// Our stdio MCP test upstream: the same tools, prompt and resources as http-test-server.mjs.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createTestServer } from './test-server.mjs';

const server = createTestServer('stdio');
await server.connect(new StdioServerTransport());
console.error('stdio-test-server: ready');

const shutdown = async () => {
  await server.close().catch(() => {});
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.stdin.on('end', shutdown);
