import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { wharfPaths } from '../../../src-main/core/paths.js';
import { qemuPaths, type QemuPaths } from '../../../src-main/core/vm/qemu/paths.js';
import { QemuBackend } from '../../../src-main/core/vm/qemu/lifecycle.js';
import { isAlive } from '../../../src-main/core/vm/process-util.js';
import { parseProcStatStartTime, parsePsLstart, parseWindowsProcess, processIdentity } from '../../../src-main/core/vm/process-identity.js';

const cleanups: Array<() => Promise<void> | void> = [];
const standIns: number[] = [];
// Stand-ins die first: a QMP server waits for its clients to leave before it closes.
after(async () => {
  for (const pid of standIns) { try { process.kill(-pid, 'SIGKILL'); } catch {} }
  for (const c of cleanups.reverse()) await c();
});

/** A stand-in for a daemonized QEMU: a live process whose command line names qemu-system and our pidfile. */
async function fakeQemu(paths: QemuPaths): Promise<ChildProcess> {
  const script = path.join(paths.home, 'qemu-system-x86_64');
  await fs.writeFile(script, '#!/bin/sh\nwhile :; do sleep 0.2; done\n', { mode: 0o755 });
  const child = spawn(script, ['-pidfile', paths.pidFile, '-qmp', `unix:${paths.qmpSocket}`], { stdio: 'ignore', detached: true });
  await new Promise((r) => child.once('spawn', r));
  standIns.push(child.pid!);
  await fs.writeFile(paths.pidFile, `${child.pid}\n`);
  return child;
}

/** Answers QMP's greeting and every command, as QEMU does; ignores system_powerdown like a hung guest. */
async function fakeQmp(socketPath: string): Promise<void> {
  const server = net.createServer((s) => {
    s.write('{"QMP": {"version": {}, "capabilities": []}}\n');
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const msg = JSON.parse(buf.slice(0, nl)) as { id?: string };
        buf = buf.slice(nl + 1);
        s.write(JSON.stringify({ return: {}, id: msg.id }) + '\n');
      }
    });
    s.on('error', () => undefined);
    clients.add(s);
  });
  const clients = new Set<net.Socket>();
  await new Promise<void>((r) => server.listen(socketPath, r));
  cleanups.push(() => new Promise<void>((r) => { for (const c of clients) c.destroy(); server.close(() => r()); }));
}

async function tempPaths(): Promise<QemuPaths> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-ident-'));
  cleanups.push(() => fs.rm(home, { recursive: true, force: true }));
  const paths = qemuPaths(wharfPaths(home, 'linux'));
  await fs.mkdir(paths.run, { recursive: true });
  await fs.mkdir(paths.logs, { recursive: true });
  await fs.writeFile(paths.consoleLog, '');
  return paths;
}

const backendFor = (paths: QemuPaths) => new QemuBackend({ paths, assets: () => Promise.reject(new Error('not used')), platform: 'linux' });

const savedState = (pid: number, startTime: string) => JSON.stringify({ pid, startTime, accelerator: 'tcg', enginePort: 1, qemuVersion: '7.2.0', startedAt: Date.now() });

test('stop() leaves alone a process that holds QEMU\'s saved pid but started at another time (a reused pid)', async () => {
  const paths = await tempPaths();
  const other = await fakeQemu(paths);
  await fakeQmp(paths.qmpSocket);
  const real = await processIdentity(other.pid!);
  assert.ok(real, 'could not read the stand-in\'s identity');
  // The saved VM started at another time: whatever holds this pid now is not it.
  await fs.writeFile(paths.stateFile, savedState(other.pid!, String(Number(real.startTime) - 1000)));
  const backend = backendFor(paths);
  assert.equal(await backend.reattach(), false, 'reattached to a process that is not the saved VM');
  await backend.stop({ timeoutMs: 300 });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(isAlive(other.pid!), true, 'stop() killed an unrelated process that reused the pid');
  assert.equal(backend.state.state, 'stopped');
});

test('stop() after a reattach checks identity again before SIGKILL and still kills its own hung QEMU', async () => {
  const paths = await tempPaths();
  const qemu = await fakeQemu(paths);
  await fakeQmp(paths.qmpSocket);
  const id = await processIdentity(qemu.pid!);
  await fs.writeFile(paths.stateFile, savedState(qemu.pid!, id!.startTime));
  const backend = backendFor(paths);
  assert.equal(await backend.reattach(), true);
  assert.equal(backend.state.state, 'running');
  await backend.stop({ timeoutMs: 300 });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(isAlive(qemu.pid!), false, 'a guest that ignored power-off was not killed');
  assert.equal(backend.state.state, 'stopped');
});

test('when QEMU dies by itself the saved runtime and its files are cleared', async () => {
  const paths = await tempPaths();
  const qemu = await fakeQemu(paths);
  await fakeQmp(paths.qmpSocket);
  const id = await processIdentity(qemu.pid!);
  await fs.writeFile(paths.stateFile, savedState(qemu.pid!, id!.startTime));
  const backend = backendFor(paths);
  assert.equal(await backend.reattach(), true);
  assert.equal((await backend.runtime()).pid, qemu.pid);
  process.kill(-qemu.pid!, 'SIGKILL');
  for (let i = 0; i < 40 && backend.state.state === 'running'; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(backend.state.state, 'error');
  assert.deepEqual(await backend.runtime(), {}, 'the dead QEMU\'s pid is still remembered; a later stop() would signal it');
  for (let i = 0; i < 20 && (await fs.stat(paths.stateFile).catch(() => undefined)); i++) await new Promise((r) => setTimeout(r, 50));
  await assert.rejects(fs.stat(paths.stateFile), 'vm-state.json outlived the VM');
  await backend.stop({ timeoutMs: 300 });
});

test('identity parsers read the recorded output of each OS', () => {
  // Linux /proc/<pid>/stat; the command name may contain spaces and parentheses.
  const stat = '4242 (qemu (sys) x) S 1 4242 4242 0 -1 4194624 93711 0 12 0 2155 860 0 0 20 0 5 0 123456789 3087769600 120112 18446744073709551615 1 1 0 0 0 0 0 4096 17134 0 0 0 17 1 0 0 0 0 0';
  assert.equal(parseProcStatStartTime(stat), '123456789');
  assert.equal(parseProcStatStartTime('garbage'), undefined);
  // procps-ng 4.0.2 here, and macOS ps (same lstart format in the C locale).
  assert.deepEqual(parsePsLstart('Tue Dec  1 22:47:48 2026 bash /dev/fd/3\n'), { startTime: 'Tue Dec  1 22:47:48 2026', command: 'bash /dev/fd/3' });
  assert.deepEqual(parsePsLstart('Mon Nov 10 09:05:01 2025     /opt/homebrew/bin/qemu-system-aarch64 -machine virt,highmem=on -pidfile /Users/a/.wharf/run/qemu.pid\n'),
    { startTime: 'Mon Nov 10 09:05:01 2025', command: '/opt/homebrew/bin/qemu-system-aarch64 -machine virt,highmem=on -pidfile /Users/a/.wharf/run/qemu.pid' });
  assert.equal(parsePsLstart(''), undefined, 'no such pid: ps prints nothing');
  // PowerShell Get-CimInstance Win32_Process, as the query in processIdentity formats it.
  assert.deepEqual(parseWindowsProcess('2026-12-01T22:47:48.123456Z\r\n"C:\\Program Files\\qemu\\qemu-system-x86_64.exe" -pidfile C:\\Users\\a\\.wharf\\run\\qemu.pid\r\n'),
    { startTime: '2026-12-01T22:47:48.123456Z', command: '"C:\\Program Files\\qemu\\qemu-system-x86_64.exe" -pidfile C:\\Users\\a\\.wharf\\run\\qemu.pid' });
  assert.equal(parseWindowsProcess(''), undefined);
});

test('processIdentity tells a live process from a dead pid, and two processes apart', async () => {
  const a = spawn('sleep', ['5'], { stdio: 'ignore' });
  await new Promise((r) => a.once('spawn', r));
  const id = await processIdentity(a.pid!);
  assert.ok(id && /sleep 5/.test(id.command));
  assert.deepEqual(await processIdentity(a.pid!), id, 'the identity of one process is stable');
  a.kill('SIGKILL');
  await new Promise((r) => a.once('exit', r));
  assert.equal(await processIdentity(a.pid!), undefined);
});
