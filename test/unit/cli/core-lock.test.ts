import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { acquireCoreLock } from '../../../src-main/core/util/core-lock.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/wharf.mjs');
const homes: string[] = [];
after(() => { for (const h of homes) fs.rmSync(h, { recursive: true, force: true }); });

function tempHome(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-lock-'));
  homes.push(home);
  return home;
}

/** `wharf __core`, the headless core `wharf start` spawns; resolves with what it printed once it exits. */
function runCore(home: string): { pid: number; done: Promise<string> } {
  const child = spawn(process.execPath, [bin, '__core'], {
    env: { ...process.env, WHARF_HOME: home, WHARF_CACHE: path.join(home, 'cache') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  const done = new Promise<string>((resolve) => child.on('exit', () => resolve(out)));
  // A core idles out 1.5 s after it has no client and no VM; this bounds a hung one.
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  void done.then(() => clearTimeout(timer));
  return { pid: child.pid!, done };
}

test('two cores started at once on one WHARF_HOME: one serves it, the other says who holds it', { timeout: 90_000 }, async () => {
  const home = tempHome();
  const a = runCore(home);
  const b = runCore(home);
  const [outA, outB] = await Promise.all([a.done, b.done]);
  const serving = [outA, outB].filter((o) => /\[core\] listening on/.test(o));
  assert.equal(serving.length, 1, `both cores served the same WHARF_HOME:\n--- A\n${outA}\n--- B\n${outB}`);
  const [winner, loser] = /listening on/.test(outA) ? [a, outB] : [b, outA];
  assert.match(loser, new RegExp(`held by pid ${winner.pid} \\(since \\d{4}-\\d\\d-\\d\\dT`), loser);
});

test('a busy core keeps its WHARF_HOME: a second core does not take the socket from it', { timeout: 90_000 }, async () => {
  const home = tempHome();
  const a = runCore(home);
  const control = path.join(home, 'run', 'control.sock');
  const clients: net.Socket[] = [];
  try {
    // A is up; hold a client so it does not idle out.
    await waitFor(() => fs.existsSync(control), 60_000);
    clients.push(await connect(control));
    // Busy: A stops accepting and its backlog fills (a hung event loop with CLI calls queued).
    process.kill(a.pid, 'SIGSTOP');
    for (let i = 0; i < 600; i++) {
      const s = await connect(control).catch(() => undefined);
      if (!s) break;
      clients.push(s);
    }
    const outB = await runCore(home).done;
    assert.doesNotMatch(outB, /listening on/, `a second core took the busy core's WHARF_HOME:\n${outB}`);
    assert.match(outB, new RegExp(`held by pid ${a.pid} `));
  } finally {
    process.kill(a.pid, 'SIGCONT');
    for (const c of clients) c.destroy();
  }
  await a.done;
});

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function connect(p: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.createConnection(p);
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

test('the lock outlives a busy holder and is free again the moment its holder dies', async () => {
  const home = tempHome();
  const run = path.join(home, 'run');
  fs.mkdirSync(run, { recursive: true, mode: 0o700 });
  const first = await acquireCoreLock(run);
  assert.equal(first.held, true);
  const second = await acquireCoreLock(run);
  assert.equal(second.held, false);
  assert.equal(second.held === false && second.holder?.pid, process.pid);
  if (first.held) await first.release();
  const third = await acquireCoreLock(run);
  assert.equal(third.held, true, 'a released lock could not be taken');
  if (third.held) await third.release();

  // A holder killed with SIGKILL leaves no stale lock behind.
  const holder = spawn(process.execPath, ['--import', 'tsx', '-e', `
    const { acquireCoreLock } = await import(${JSON.stringify(path.resolve('src-main/core/util/core-lock.ts'))});
    const l = await acquireCoreLock(${JSON.stringify(run)});
    console.log(l.held ? 'held' : 'not held');
    setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
  const blocked = await acquireCoreLock(run);
  assert.equal(blocked.held, false);
  assert.equal(blocked.held === false && blocked.holder?.pid, holder.pid);
  holder.kill('SIGKILL');
  await new Promise((r) => holder.once('exit', r));
  const after = await acquireCoreLock(run);
  assert.equal(after.held, true, 'the dead holder\'s lock was not recovered');
  if (after.held) await after.release();
});
