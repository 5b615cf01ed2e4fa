#!/usr/bin/env node
// Install-time patch (npm "postinstall") that lets @modelcontextprotocol/conformance 0.1.16 load on Node 20.
//
// The suite is one bundled file, dist/index.js. It imports `globSync` from "fs", which exists only in
// Node >= 22, so on Node 20 the whole module fails to link. The bundle uses that import in exactly one
// place: the `tier-check` command (`globSync("**/checks.json", {cwd})`), which no scenario runs. This
// script rewrites that single import to take `globSync` from the `glob` package (same call shape, same
// relative-path results) and changes nothing else. It refuses to touch any file but the exact 0.1.16
// bundle (checked by SHA-256), and it is a no-op when the file is already patched or Node has
// fs.globSync. See README.md.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('@modelcontextprotocol/conformance/package.json'));
const bundle = join(pkgDir, 'dist', 'index.js');

const ORIGINAL_SHA256 = '8af99580e70f26781b379b63c89a90f26c44a9fa82022838d5308ff1a803ef2d';
const FROM = 'import{existsSync as a,globSync as o,mkdtempSync as s,promises as c,readFileSync as l}from"fs";';
const TO =
  'import{existsSync as a,mkdtempSync as s,promises as c,readFileSync as l}from"fs";' +
  'import{globSync as o}from"glob";/* mcpproxy: fs.globSync needs Node 22; see tests/conformance/README.md */';

const text = fs.readFileSync(bundle, 'utf8');
if (text.includes(TO)) {
  console.log('patch-fs-globsync: already patched');
  process.exit(0);
}
if (typeof fs.globSync === 'function') {
  console.log('patch-fs-globsync: Node has fs.globSync, nothing to do');
  process.exit(0);
}
const sha = createHash('sha256').update(text).digest('hex');
if (sha !== ORIGINAL_SHA256) {
  console.error(`patch-fs-globsync: ${bundle} is not the 0.1.16 bundle this patch was written for (sha256 ${sha})`);
  process.exit(1);
}
if (text.split(FROM).length !== 2) {
  console.error(`patch-fs-globsync: the fs import was not found exactly once in ${bundle}`);
  process.exit(1);
}
fs.writeFileSync(bundle, text.replace(FROM, TO));
console.log('patch-fs-globsync: dist/index.js now imports globSync from "glob" (Node 20)');
