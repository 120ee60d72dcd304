import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { HELPER_CFLAGS, PRELOAD_CFLAGS, helperCompiler } from '../../../vm-assets/builder/helpers.js';
import { assertPreload } from './helper-elf.js';

/**
 * The iptables fork server (vm-assets/guest/helpers/xtables-forkserver.c) and the
 * wrapper that hands it its calls (xtables-norandom.c), compiled with the builder's
 * flags and run for real on the host. fixtures/fake-xtables.c stands in for
 * xtables-nft-multi: dynamically linked, buffered stdio, exit() (as iptables does).
 */
const HELPERS = path.join(import.meta.dirname, '../../../vm-assets/guest/helpers');
const native = process.arch === 'x64' || process.arch === 'arm64';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-forkserver-'));
const sock = path.join(dir, 'xtables.sock');
const preload = path.join(dir, 'xtables-forkserver.so');
const client = path.join(dir, 'iptables');
const fake = path.join(dir, 'fake-xtables');
let server: ChildProcess | undefined;

function compilePreload(cc = 'gcc', out = preload): string {
  execFileSync(cc, [...PRELOAD_CFLAGS, '-o', out, path.join(HELPERS, 'xtables-forkserver.c')]);
  return out;
}

interface Run { code: number | null; stdout: string; stderr: string }
function call(args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(client, args, { env: { PATH: process.env.PATH, WHARF_PROBE: 'client', ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A call that reads no stdin may be gone before this is written.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function startServer(): Promise<ChildProcess> {
  fs.rmSync(sock, { force: true });
  const s = spawn(fake, ['out:the server ran main'], {
    env: { PATH: process.env.PATH, WHARF_PROBE: 'server', WHARF_XTABLES_SERVE: sock, LD_PRELOAD: preload },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  s.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  s.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  await until(`the server's socket (${out})`, () => fs.existsSync(sock));
  return s;
}

async function stopServer(): Promise<void> {
  if (!server || server.exitCode !== null) return;
  const gone = new Promise((r) => server!.once('exit', r));
  server.kill('SIGKILL');
  await gone;
}

before(async () => {
  if (!native) return;
  compilePreload();
  execFileSync('gcc', ['-O2', '-Wall', '-Werror', '-o', fake, path.join(import.meta.dirname, 'fixtures/fake-xtables.c')]);
  execFileSync('gcc', [...HELPER_CFLAGS, `-DTARGET="${fake}"`, `-DSERVER_SOCKET="${sock}"`, '-o', client, path.join(HELPERS, 'xtables-norandom.c')]);
  server = await startServer();
});
after(async () => {
  await stopServer();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a call runs in a child of the server: arguments, stdin, stdout, stderr and the exit status cross', { skip: !native }, async () => {
  const r = await call(['argv0', 'out:two words', 'cat', 'err:oops', 'exit:3'], { input: 'from stdin\n' });
  assert.equal(r.code, 3);
  assert.equal(r.stdout, `${client}\ntwo words\nfrom stdin\n`, 'argv[0] as invoked: xtables-nft-multi picks iptables or ip6tables by it');
  assert.equal(r.stderr, 'oops\n');
  // The parent is the server, and the environment is the server's, without the preload or its role.
  const env = await call(['env:WHARF_PROBE', 'env:LD_PRELOAD', 'env:WHARF_XTABLES_SERVE', 'ppid']);
  assert.equal(env.stdout, `WHARF_PROBE=server\nLD_PRELOAD=(unset)\nWHARF_XTABLES_SERVE=(unset)\n${server!.pid}\n`);
  assert.equal(env.code, 0);
});

test('buffered output is written before the status comes back (a caller may read its redirect at once)', { skip: !native }, async () => {
  const out = path.join(dir, 'redirected');
  for (let i = 0; i < 20; i++) {
    const fd = fs.openSync(out, 'w');
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(client, ['out:line one', 'out:line two', 'exit:0'], { stdio: ['ignore', fd, 'inherit'] });
      child.on('close', resolve);
    });
    fs.closeSync(fd);
    assert.equal(code, 0);
    assert.equal(fs.readFileSync(out, 'utf8'), 'line one\nline two\n');
  }
});

test('a call that dies without exiting fails with a message, and the server stays', { skip: !native }, async () => {
  const r = await call(['out:before', 'kill']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, 'before\n');
  assert.match(r.stderr, /the iptables fork server ended during the call/);
  assert.equal((await call(['env:WHARF_PROBE'])).stdout, 'WHARF_PROBE=server\n');
});

// dockerd sets a container's DNS rules with iptables run in the container's network namespace.
const canUnshare = native && process.getuid?.() === 0 && (() => { try { execFileSync('unshare', ['-n', 'true']); return true; } catch { return false; } })();
test('a call runs in the caller\'s network namespace, not the server\'s', { skip: !canUnshare && 'needs root and unshare -n' }, () => {
  const out = execFileSync('unshare', ['-n', 'sh', '-c', `readlink /proc/self/ns/net; "${client}" netns env:WHARF_PROBE`], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
  const [mine, served, probe] = out.trim().split('\n');
  assert.equal(probe, 'WHARF_PROBE=server', 'the call ran in the server');
  assert.equal(served, mine);
  assert.notEqual(served, fs.readlinkSync('/proc/self/ns/net'));
});

test('calls at the same time each get their own output', { skip: !native }, async () => {
  const runs = await Promise.all(Array.from({ length: 16 }, (_, i) => call(['cat', `out:${i}`, `exit:${i}`], { input: `in${i}\n` })));
  runs.forEach((r, i) => {
    assert.equal(r.code, i);
    assert.equal(r.stdout, `in${i}\n${i}\n`);
  });
});

test('the socket is the owner\'s only (whoever connects runs iptables as root)', { skip: !native }, () => {
  assert.equal(fs.statSync(sock).mode & 0o777, 0o600);
});

test('a malformed request is refused without stopping the server', { skip: !native }, async () => {
  // A length without the three descriptors: the server's child hangs up (a reset, as it reads no more).
  await new Promise<void>((resolve) => {
    const c = net.connect(sock, () => c.end(Buffer.from([5, 0, 0, 0, 1, 2, 3, 4, 5])));
    c.on('error', () => undefined);
    c.on('close', () => resolve());
  });
  assert.equal((await call(['env:WHARF_PROBE'])).stdout, 'WHARF_PROBE=server\n');
});

test('the server itself (WHARF_XTABLES_SERVE set) and a preload without that role run main as usual', { skip: !native }, async () => {
  const self = await call(['env:WHARF_PROBE'], { env: { WHARF_XTABLES_SERVE: '/nonexistent' } });
  assert.equal(self.stdout, 'WHARF_PROBE=client\n', 'the starting server must not connect to itself');
  const plain = execFileSync(fake, ['out:main ran', 'env:LD_PRELOAD'], { env: { PATH: process.env.PATH, LD_PRELOAD: preload }, encoding: 'utf8' });
  assert.equal(plain, 'main ran\nLD_PRELOAD=(unset)\n');
});

test('with no server listening (never started, or gone) the call runs by exec', { skip: !native }, async () => {
  await stopServer();
  assert.ok(fs.existsSync(sock), 'a stale socket file stays behind');
  const r = await call(['cat', 'env:WHARF_PROBE', 'exit:4'], { input: 'x\n' });
  assert.equal(r.code, 4);
  assert.equal(r.stdout, 'x\nWHARF_PROBE=client\n');
  fs.rmSync(sock);
  assert.equal((await call(['env:WHARF_PROBE'])).stdout, 'WHARF_PROBE=client\n');
});

test('the preload is a shared object that links no library, for both guest architectures', (t) => {
  for (const arch of ['amd64', 'arm64'] as const) {
    const cc = helperCompiler(arch);
    try { execFileSync(cc, ['--version']); } catch { t.diagnostic(`${cc} not installed: ${arch} not checked`); continue; }
    assertPreload(fs.readFileSync(compilePreload(cc, path.join(dir, `preload-${arch}.so`))), arch, '__libc_start_main');
  }
});
