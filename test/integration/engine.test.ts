import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import dgram from 'node:dgram';
import { execFileSync } from 'node:child_process';
import { WharfTestEnv, qemuProcessesFor, waitFor } from '../support/wharf-env.js';
import { buildBusyboxImage } from '../support/test-image.js';

/**
 * The heart of Wharf, end to end: `wharf start` boots the real VM, and the
 * unchanged docker CLI works through the host socket and the `wharf` context.
 */
const wharfBinName = 'wharf.mjs';

describe('engine in a VM, through the unchanged docker CLI', { timeout: 40 * 60_000 }, () => {
  const env = new WharfTestEnv('engine');
  let image = '';

  before(async () => {
    // A context the user had before: it must be current again after `wharf stop`.
    const pre = await env.run('docker', ['context', 'create', 'before-wharf', '--docker', 'host=unix:///nonexistent.sock']);
    assert.equal(pre.code, 0, pre.stderr);
    assert.equal((await env.run('docker', ['context', 'use', 'before-wharf'])).code, 0);
  });

  after(() => env.cleanup());

  test('wharf start boots the VM and makes the wharf context current', async () => {
    const r = await env.wharf(['start', '--cpus', '2', '--memory', '2048'], { timeoutMs: 900_000 });
    assert.equal(r.code, 0, `wharf start failed:\n${r.stderr}\n${r.stdout}`);
    assert.match(r.stdout, /State:\s+running/);
    const mode = fs.statSync(env.socket).mode & 0o777;
    assert.equal(mode, 0o600, 'docker.sock must be mode 0600');
    assert.equal(fs.statSync(`${env.home}/run/control.sock`).mode & 0o777, 0o600);
    assert.equal(fs.statSync(`${env.home}/certs/key.pem`).mode & 0o777, 0o600);
    const ctx = await env.run('docker', ['context', 'show']);
    assert.equal(ctx.stdout.trim(), 'wharf');
    console.log(`# wharf start took ${r.seconds.toFixed(1)} s`);
  });

  test('docker version answers through the socket and through the context', async () => {
    const viaSocket = await env.docker(['version', '--format', '{{.Server.Version}}'], { viaSocket: true });
    assert.equal(viaSocket.code, 0, viaSocket.stderr);
    assert.match(viaSocket.stdout.trim(), /^\d+\.\d+/);
    const viaContext = await env.run('docker', ['version', '--format', '{{.Server.Os}}']);
    assert.equal(viaContext.stdout.trim(), 'linux');
  });

  test('wharf status reports state, accelerator, versions and socket', async () => {
    const r = await env.wharf(['status', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.vm.state, 'running');
    assert.ok(['kvm', 'tcg'].includes(s.accelerator));
    assert.equal(s.socketPath, env.socket);
    assert.match(s.versions.docker, /^\d+\./);
    assert.ok(s.vmHostMemoryBytes > 0);
  });

  test('builds an image FROM scratch with busybox and runs it', async () => {
    image = await buildBusyboxImage(env);
    const r = await env.docker(['run', '--rm', image, 'echo', 'hello-from-wharf']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'hello-from-wharf');
  });

  test('attach streams stdin and stdout (hijacked connection)', async () => {
    const r = await env.docker(['run', '--rm', '-i', image, 'sh', '-c', 'read line; echo "got:$line"'], { input: 'ping\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'got:ping');
  });

  test('a published TCP port is reachable on the host', async () => {
    const run = await env.docker(['run', '-d', '--name', 'web', '-p', '18080:8080', image, 'httpd', '-f', '-p', '8080', '-h', '/www']);
    assert.equal(run.code, 0, run.stderr);
    const body = await waitFor(async () => {
      const res = await fetch('http://127.0.0.1:18080/');
      return res.ok ? res.text() : undefined;
    }, 60_000, 'the published port');
    assert.equal(body, 'hello from a wharf container\n');
  });

  test('127.0.0.1 binds stay on loopback and UDP is forwarded', async () => {
    const run = await env.docker(['run', '-d', '--name', 'udp', '-p', '127.0.0.1:15353:5353/udp', image, 'udp-echo', '5353']);
    assert.equal(run.code, 0, run.stderr);
    const reply = await waitFor(() => new Promise<string | undefined>((resolve) => {
      const sock = dgram.createSocket('udp4');
      const t = setTimeout(() => { sock.close(); resolve(undefined); }, 1000);
      sock.on('message', (m) => { clearTimeout(t); sock.close(); resolve(m.toString()); });
      sock.send('marco', 15353, '127.0.0.1');
    }), 60_000, 'the UDP echo');
    assert.equal(reply, 'marco');
  });

  test('ports are removed when the container stops', async () => {
    assert.equal((await env.docker(['rm', '-f', 'web'])).code, 0);
    await waitFor(async () => {
      try {
        await fetch('http://127.0.0.1:18080/', { signal: AbortSignal.timeout(1000) });
        return undefined;
      } catch {
        return true;
      }
    }, 30_000, 'the forward to go away');
  });

  test('a host port that is taken is reported; the container and engine keep running', async () => {
    const blocker = net.createServer().listen(18090, '0.0.0.0');
    await new Promise((r) => blocker.once('listening', r));
    try {
      const run = await env.docker(['run', '-d', '--name', 'clash', '-p', '18090:8080', image, 'httpd', '-f', '-p', '8080', '-h', '/www']);
      assert.equal(run.code, 0, run.stderr);
      const status = await waitFor(async () => {
        const s = JSON.parse((await env.wharf(['status', '--json'])).stdout);
        return s.notices.some((n: { message: string }) => n.message.includes('18090')) ? s : undefined;
      }, 30_000, 'a port notice');
      assert.equal(status.vm.state, 'running');
      const notice = status.notices.find((n: { message: string }) => n.message.includes('18090'));
      assert.equal(notice.code, 'port-forward-failed');
      assert.match(notice.message, /18090.*already in use/);
      const ps = await env.docker(['ps', '--filter', 'name=clash', '--format', '{{.State}}']);
      assert.equal(ps.stdout.trim(), 'running');
    } finally {
      blocker.close();
      await env.docker(['rm', '-f', 'clash', 'udp']);
    }
  });

  test('a named volume survives wharf restart', async () => {
    const w = await env.docker(['run', '--rm', '-v', 'wharfvol:/data', image, 'sh', '-c', 'echo persisted > /data/f']);
    assert.equal(w.code, 0, w.stderr);
    const r = await env.wharf(['restart'], { timeoutMs: 900_000 });
    assert.equal(r.code, 0, r.stderr);
    const read = await env.docker(['run', '--rm', '-v', 'wharfvol:/data', image, 'cat', '/data/f']);
    assert.equal(read.code, 0, read.stderr);
    assert.equal(read.stdout.trim(), 'persisted');
  });

  test('wharf shell runs a command as root in the VM', async () => {
    const r = await env.wharf(['shell', '-c', 'id -u; uname -r']);
    assert.equal(r.code, 0, r.stderr);
    const [uid, kernel] = r.stdout.trim().split('\n').map((l) => l.trim());
    assert.equal(uid, '0');
    assert.match(kernel!, /^6\.1\./);
  });

  test('wharf shell -c runs a multi-line script longer than the VM has to answer, and returns its exit code', async () => {
    // A multi-line script with a heredoc and a trailing newline, as `wharf shell -c "$(cat script.sh)"` sends.
    // Longer than busybox ash's 1,024-byte line editor keeps, too.
    const script = `sleep 12\n: '${'x'.repeat(3000)}'\ncat <<'EOF'\nfinished 'quoted' $HOME\nEOF\nexit_code=3\n(exit $exit_code)\n`;
    const r = await env.wharf(['shell', '-c', script], { env: { WHARF_SHELL_ANSWER_MS: '8000' }, timeoutMs: 90_000 });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout.trim(), "finished 'quoted' $HOME");
    // A syntax error is the command's failure, not a shell that never answers.
    const bad = await env.wharf(['shell', '-c', 'echo before\necho $(( 1 +'], { timeoutMs: 60_000 });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stdout, /^before\n.*syntax error/s);
  });

  test('a new host process reattaches to the VM a killed core left running', async () => {
    const pids = execFileSync('pgrep', ['-f', `${wharfBinName} __core`], { encoding: 'utf8', env: env.env }).trim().split('\n').map(Number);
    const corePid = pids.find((pid) => fs.readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`WHARF_HOME=${env.home}`));
    assert.ok(corePid, 'the headless core runs');
    const qemuBefore = qemuProcessesFor(env.home);
    process.kill(corePid, 'SIGKILL');
    const status = JSON.parse((await env.wharf(['status', '--json'])).stdout);
    assert.equal(status.vm.state, 'running');
    assert.deepEqual(qemuProcessesFor(env.home), qemuBefore, 'the same VM, not a new one');
    const v = await env.docker(['version', '--format', '{{.Server.Version}}'], { viaSocket: true });
    assert.equal(v.code, 0, v.stderr);
  });

  test('wharf logs shows the VM console', async () => {
    const r = await env.wharf(['logs', '--lines', '2000']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /WHARF-MILESTONE ready/);
  });

  test('a second wharf start says it is already running', async () => {
    const r = await env.wharf(['start']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /already running/);
  });

  test('wharf stop leaves no qemu, no socket, and the previous context current', async () => {
    const r = await env.wharf(['stop'], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    await waitFor(async () => (qemuProcessesFor(env.home).length === 0 ? true : undefined), 30_000, 'qemu to exit');
    assert.equal(fs.existsSync(env.socket), false, 'docker.sock must be gone');
    const ctx = await env.run('docker', ['context', 'show']);
    assert.equal(ctx.stdout.trim(), 'before-wharf');
    await waitFor(async () => (fs.existsSync(`${env.home}/run/control.sock`) ? undefined : true), 10_000, 'the headless core to exit');
  });
});
