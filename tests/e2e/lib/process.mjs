// Child processes for the tests: spawned with their output kept for diagnosis, stopped politely
// (SIGTERM) and then firmly (SIGKILL) so no test leaves a process behind.
import { spawn } from 'node:child_process';

const MAX_LOG_LINES = 4000;

// Children still running when the test process exits (a crash, an interrupted run) are killed.
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class ChildProcess {
  constructor(label, command, args, options = {}) {
    this.label = label;
    this.command = command;
    this.args = args;
    this.lines = [];
    this.totalLines = 0; // lines ever seen, so a caller can mark a point and read what came after
    this.exit = null; // { code, signal } once exited
    this.child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    running.add(this.child);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        running.delete(this.child);
        this.exit = { code, signal };
        resolve(this.exit);
      });
      this.child.once('error', (error) => {
        running.delete(this.child);
        this.spawnError = error;
        this.exit = { code: null, signal: null, error };
        resolve(this.exit);
      });
    });
    this.lineListeners = new Set();
    this.#collect(this.child.stdout, 'out');
    this.#collect(this.child.stderr, 'err');
  }

  get pid() {
    return this.child.pid;
  }

  #collect(stream, tag) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop();
      for (const line of parts) this.#addLine(tag, line);
    });
    stream.on('end', () => {
      if (partial) this.#addLine(tag, partial);
    });
  }

  #addLine(tag, line) {
    this.lines.push(`[${this.label} ${tag}] ${line}`);
    this.totalLines += 1;
    if (this.lines.length > MAX_LOG_LINES) this.lines.splice(0, this.lines.length - MAX_LOG_LINES);
    for (const listener of this.lineListeners) listener(tag, line);
  }

  /** Resolves with the first stdout line matching `pattern`; rejects on exit or timeout. */
  waitForLine(pattern, timeoutMs) {
    return new Promise((resolve, reject) => {
      const done = (fn, value) => {
        clearTimeout(timer);
        this.lineListeners.delete(listener);
        fn(value);
      };
      const listener = (tag, line) => {
        const match = tag === 'out' && line.match(pattern);
        if (match) done(resolve, match);
      };
      const timer = setTimeout(
        () => done(reject, new Error(`${this.label}: no line matching ${pattern} within ${timeoutMs} ms\n${this.logs()}`)),
        timeoutMs,
      );
      this.lineListeners.add(listener);
      this.exited.then((exit) => done(reject, new Error(`${this.label} exited early (${describeExit(exit)})\n${this.logs()}`)));
    });
  }

  logs() {
    return this.lines.join('\n');
  }

  /** Lines logged after `mark` (a former value of totalLines), as far as they are still kept. */
  logsSince(mark) {
    const count = Math.min(this.totalLines - mark, this.lines.length);
    return count > 0 ? this.lines.slice(-count).join('\n') : '';
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with { code, signal, killed }. */
  async stop(graceMs = 10000) {
    if (this.exit) return { ...this.exit, killed: false };
    this.child.kill('SIGTERM');
    let timer;
    const timedOut = new Promise((resolve) => { timer = setTimeout(() => resolve(null), graceMs); });
    const exit = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (exit) return { ...exit, killed: false };
    this.child.kill('SIGKILL');
    return { ...(await this.exited), killed: true };
  }
}

export function describeExit(exit) {
  if (!exit) return 'running';
  if (exit.error) return `spawn failed: ${exit.error.message}`;
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** An error that stops waitFor at once instead of being retried. */
export class FatalWaitError extends Error {}

/**
 * Polls `probe` until it returns a truthy value (returned) or `timeoutMs` passes (throws `what`).
 * A probe that throws is retried, unless it throws a FatalWaitError.
 */
export async function waitFor(what, probe, { timeoutMs = 15000, intervalMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      if (error instanceof FatalWaitError) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

/** Runs every clean-up step even if earlier ones fail, then throws the first failure (if any). */
export async function teardown(...steps) {
  const failures = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}
