import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { waitFor } from '../support/wharf-env.js';
import { WslTestEnv } from '../support/wsl-standin-env.js';
import { buildBusyboxImage } from '../support/test-image.js';

/**
 * backend=wsl end to end, on a Linux host: the WSL backend drives the stand-in
 * wsl.exe, which imports the real tarballs from vm:build and runs the real
 * dockerd and containerd from them in namespaces. The unchanged docker CLI
 * talks to it through the same host socket as under QEMU.
 */
function postJson(socket: string, urlPath: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request({ socketPath: socket, path: urlPath, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

describe('backend=wsl through the WSL stand-in', { timeout: 20 * 60_000 }, () => {
  const env = new WslTestEnv('wsl');
  let image = '';

  after(() => env.cleanup());

  test('wharf set backend=wsl, then wharf start imports both distros and the engine answers', async () => {
    const set = await env.wharf(['set', 'backend=wsl']);
    assert.equal(set.code, 0, set.stderr);
    const r = await env.wharf(['start'], { timeoutMs: 600_000 });
    assert.equal(r.code, 0, `wharf start failed:\n${r.stderr}\n${r.stdout}`);
    assert.match(r.stdout, /Backend:\s+wsl/);
    const v = await env.docker(['version', '--format', '{{.Server.Version}} {{.Server.Os}}'], { viaSocket: true });
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout.trim(), /^\d+\.\d+\.\d+\S* linux$/);
    const status = JSON.parse((await env.wharf(['status', '--json'])).stdout);
    assert.equal(status.backend, 'wsl');
    assert.match(status.versions.backend.wsl, /^2\.3\.26/);
    // The distros are registered with the stand-in (wsl --list --quiet).
    assert.deepEqual(fs.readdirSync(path.join(env.standinRoot, 'distros')).sort(), ['wharf', 'wharf-data']);
  });

  test('builds FROM scratch and runs a container, reading its output', async () => {
    image = await buildBusyboxImage(env);
    const r = await env.docker(['run', '--rm', image, 'echo', 'hello from wsl']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'hello from wsl');
  });

  test('a published port answers on the host\'s localhost (WSL localhost forwarding)', async () => {
    const run = await env.docker(['run', '-d', '--name', 'web', '-p', '18481:80', image, 'httpd', '-f', '-p', '80', '-h', '/www']);
    assert.equal(run.code, 0, run.stderr);
    const body = await waitFor(() => new Promise<string | undefined>((resolve) => {
      http.get('http://127.0.0.1:18481/index.html', (res) => { let t = ''; res.on('data', (d: Buffer) => { t += d; }); res.on('end', () => resolve(t)); }).on('error', () => resolve(undefined));
    }), 30_000, 'the published port');
    assert.equal(body, 'hello from a wharf container\n');
    const status = JSON.parse((await env.wharf(['status', '--json'])).stdout);
    assert.ok(!status.notices.some((n: { message: string }) => /18481/.test(n.message)), JSON.stringify(status.notices));
    assert.equal((await env.docker(['rm', '-f', 'web'])).code, 0);
  });

  test('a container created with a Windows-style bind path through the socket sees the C: drive', async () => {
    fs.mkdirSync(path.join(env.driveC, 'My Projects'), { recursive: true });
    fs.writeFileSync(path.join(env.driveC, 'My Projects', 'note.txt'), 'from drive C\n');
    const created = await postJson(env.socket, '/v1.45/containers/create?name=winbind', {
      Image: image, Cmd: ['cat', '/src/note.txt'], HostConfig: { Binds: ['C:\\My Projects:/src:ro'] },
    });
    assert.equal(created.status, 201, created.body);
    const start = await env.docker(['start', '-a', 'winbind']);
    assert.equal(start.code, 0, start.stderr);
    assert.equal(start.stdout, 'from drive C\n');
    const inspect = await env.docker(['inspect', '--format', '{{range .Mounts}}{{.Source}}{{end}}', 'winbind']);
    assert.equal(inspect.stdout.trim(), '/mnt/c/My Projects');
    await env.docker(['rm', '-f', 'winbind']);
    // A UNC path cannot be mapped: refused by Wharf with the reason, nothing created.
    const unc = await postJson(env.socket, '/v1.45/containers/create?name=unc', { Image: image, HostConfig: { Binds: ['\\\\server\\share:/x'] } });
    assert.equal(unc.status, 400);
    assert.match(JSON.parse(unc.body).message, /UNC/);
    const ps = await env.docker(['ps', '-a', '--format', '{{.Names}}']);
    assert.ok(!ps.stdout.includes('unc'));
  });

  test('a volume survives wharf restart', async () => {
    assert.equal((await env.docker(['volume', 'create', 'keep'])).code, 0);
    const w = await env.docker(['run', '--rm', '-v', 'keep:/data', image, 'sh', '-c', 'echo persisted > /data/f']);
    assert.equal(w.code, 0, w.stderr);
    const r = await env.wharf(['restart'], { timeoutMs: 600_000 });
    assert.equal(r.code, 0, r.stderr);
    const read = await env.docker(['run', '--rm', '-v', 'keep:/data', image, 'cat', '/data/f']);
    assert.equal(read.code, 0, read.stderr);
    assert.equal(read.stdout.trim(), 'persisted');
  });

  test('wharf stop leaves no process, namespace, mount or veth behind, and never ran wsl --shutdown', async () => {
    const r = await env.wharf(['stop'], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    await waitFor(async () => {
      const left = env.leftovers();
      return left.mounts.length + left.veths.length + left.processes.length + left.cgroups.length === 0 ? true : undefined;
    }, 30_000, `the stand-in to be empty: ${JSON.stringify(env.leftovers())}`);
    assert.equal(fs.existsSync(env.socket), false);
    assert.equal(fs.existsSync(path.join(env.standinRoot, 'shutdown-was-called')), false);
  });
});

describe('backend=wsl where WSL cannot run: refused with what to do', { timeout: 5 * 60_000 }, () => {
  const envs: WslTestEnv[] = [];
  after(() => { for (const e of envs) e.cleanup(); });
  const fresh = (name: string, extra: NodeJS.ProcessEnv) => { const e = new WslTestEnv(name, extra); envs.push(e); return e; };

  test('on Linux without a wsl.exe, backend=wsl is refused with the reason', async () => {
    const e = fresh('wsl-linux', { WHARF_WSL_EXE: '' });
    const r = await e.wharf(['set', 'backend=wsl']);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /backend wsl is not available on this host: WSL 2 exists only on Windows/);
  });

  test('a machine without WSL gets `wsl --install --no-distribution`; an old WSL gets `wsl --update`', async () => {
    const missing = await fresh('wsl-missing', { WSL_STANDIN_MODE: 'missing' }).wharf(['set', 'backend=wsl']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /WSL is not installed.*wsl --install --no-distribution.*restart Windows/);
    const old = await fresh('wsl-old', { WSL_STANDIN_MODE: 'old' }).wharf(['set', 'backend=wsl']);
    assert.equal(old.code, 2);
    assert.match(old.stderr, /WSL 1\.2\.5\.0 is older than 2\.1\.5.*wsl --update/);
  });
});
