import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ControlSocketServer } from '../../../src-main/core/transports/control-socket.js';
import { DockerSocketProxy } from '../../../src-main/core/proxy/socket-proxy.js';
import { createCore } from '../../../src-main/core/core.js';
import { EventBus } from '../../../src-main/core/util/event-bus.js';
import { StreamRegistry } from '../../../src-main/core/util/streams.js';
import { ensurePrivateDir } from '../../../src-main/core/util/private-dir.js';

const homes: string[] = [];
after(() => { for (const h of homes) fs.rmSync(h, { recursive: true, force: true }); });

/** A WHARF_HOME and run dir that already exist with the umask's usual 0755. */
function wideHome(): { home: string; run: string } {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-modes-'));
  homes.push(home);
  const run = path.join(home, 'run');
  fs.mkdirSync(run);
  fs.chmodSync(home, 0o755);
  fs.chmodSync(run, 0o755);
  return { home, run };
}

const mode = (p: string) => fs.statSync(p).mode & 0o777;

/** Records the mode of `dir` at the moment anything calls listen() on a path inside it. */
function modeAtListen(t: { mock: { method: typeof import('node:test').mock.method } }, dir: string): { modes: number[] } {
  const seen = { modes: [] as number[] };
  const original = net.Server.prototype.listen;
  t.mock.method(net.Server.prototype, 'listen', function (this: net.Server, ...args: unknown[]) {
    if (typeof args[0] === 'string' && args[0].startsWith(dir)) seen.modes.push(mode(dir));
    return (original as (...a: unknown[]) => net.Server).apply(this, args);
  });
  return seen;
}

test('control.sock: the run dir is 0700 before the socket exists, even when it existed 0755', async (t) => {
  const { run } = wideHome();
  const seen = modeAtListen(t, run);
  const bus = new EventBus();
  const server = new ControlSocketServer(path.join(run, 'control.sock'), { dispatch: async () => ({ type: 'result', id: 0, ok: true, result: null }), bus, streams: new StreamRegistry(bus) });
  await server.listen();
  try {
    assert.deepEqual(seen.modes, [0o700], `the run dir was ${seen.modes.map((m) => m.toString(8))} when control.sock was bound`);
    assert.equal(mode(path.join(run, 'control.sock')), 0o600);
  } finally {
    await server.close();
  }
});

test('docker.sock: the same for the engine socket', async (t) => {
  const { run } = wideHome();
  const seen = modeAtListen(t, run);
  const proxy = new DockerSocketProxy(path.join(run, 'docker.sock'));
  await proxy.start({ host: '127.0.0.1', port: 9, tls: { ca: '', clientCert: '', clientKey: '' } } as never);
  try {
    assert.deepEqual(seen.modes, [0o700]);
  } finally {
    await proxy.stop();
  }
});

test('an existing WHARF_HOME with wider modes is tightened to 0700 when the core starts', async () => {
  const { home } = wideHome();
  const core = await createCore({ home, cacheDir: path.join(home, 'cache') });
  try {
    assert.equal(mode(home).toString(8), '700');
  } finally {
    await core.shutdown();
  }
});

test('a run dir that is a symlink or owned by someone else is refused with the reason', async (t) => {
  const { home } = wideHome();
  const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-elsewhere-'));
  homes.push(elsewhere);
  fs.symlinkSync(elsewhere, path.join(home, 'linked'));
  await assert.rejects(ensurePrivateDir(path.join(home, 'linked')), /is a symbolic link.*WHARF_HOME/s);
  // WHARF_HOME itself may be a link the user made; its target is tightened.
  fs.chmodSync(elsewhere, 0o755);
  await ensurePrivateDir(path.join(home, 'linked'), { followSymlink: true });
  assert.equal(mode(elsewhere), 0o700);
  if (process.getuid?.() !== 0) return t.skip('needs root to make a directory owned by another user');
  const foreign = path.join(home, 'foreign');
  fs.mkdirSync(foreign);
  fs.chownSync(foreign, 65534, 65534);
  await assert.rejects(ensurePrivateDir(foreign), /owned by uid 65534/);
});
