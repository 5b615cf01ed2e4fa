// Debian's Chromium, driven by playwright-core, in a fresh profile that is removed afterwards.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from './proxy.mjs';

export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Where screenshots go: $UI_ARTIFACTS or build/ui-artifacts in the repo. */
export async function artifactsDir() {
  const dir = resolve(REPO_ROOT, process.env.UI_ARTIFACTS || 'build/ui-artifacts');
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Returns { context, page, problems, close() }; problems collects console errors and page errors. */
export async function openBrowser() {
  const profile = await mkdtemp(join(tmpdir(), 'mcpproxy-ui-chromium-'));
  // launchPersistentContext passes the profile as --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    timeout: 60000,
  });
  const page = context.pages()[0] || await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
