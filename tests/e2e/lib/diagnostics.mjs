// Prints what the processes under test logged during a failed test, and only then.
import { afterEach, beforeEach } from 'node:test';

function section(child, title, logs) {
  return `\n--- ${child.label} output ${title} ---\n${logs || '(nothing)'}\n`;
}

/**
 * Runs `fn` (a suite's set-up); if it throws, the error carries the full logs of `sources()`, since
 * a failed before() hook cancels the tests and so never reaches dumpLogsOnFailure.
 */
export async function withLogsOnError(sources, fn) {
  try {
    return await fn();
  } catch (error) {
    for (const source of sources()) {
      if (source?.process) error.message += section(source.process, 'so far', source.process.logs());
    }
    throw error;
  }
}

/**
 * Call inside a describe(). `sources` returns the handles to watch (anything with a `process`
 * that is a ChildProcess; undefined entries are ignored).
 */
export function dumpLogsOnFailure(sources) {
  const marks = new Map();
  beforeEach(() => {
    for (const source of sources()) if (source) marks.set(source.process, source.process.totalLines);
  });
  afterEach((t) => {
    if (t.passed) return;
    for (const source of sources()) {
      if (!source) continue;
      const child = source.process;
      const logs = child.logsSince(marks.get(child) ?? 0);
      process.stderr.write(section(child, `during "${t.name}"`, logs));
    }
  });
}
