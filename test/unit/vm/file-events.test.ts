import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { HostFileWatcher, watchedRoots } from '../../../src-main/core/vm/file-events.js';
import { FileEventChannel, fileEventLine } from '../../../src-main/core/vm/qemu/file-event-channel.js';

const until = async (fn: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

test('only bind sources inside a share are watched, nested ones once', () => {
  assert.deepEqual(watchedRoots(['/home/u/app', '/home/u/app/src', '/etc', '/home/u2/x', '/home/u/app/'], ['/home/u']), ['/home/u/app']);
  assert.deepEqual(watchedRoots(['/home/u'], ['/home/u']), ['/home/u']);
  assert.deepEqual(watchedRoots(['/data/x'], []), []);
});

test('each host change is forwarded once with its mode; the guest chmod echo is not', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-watch-'));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.mkdirSync(path.join(dir, '.git'));
  const got: Array<[string, number]> = [];
  const w = new HostFileWatcher({ changed: (f, m) => got.push([f, m]) });
  w.setRoots([dir]);
  const file = path.join(dir, 'src', 'app.js');
  fs.writeFileSync(file, 'one');
  fs.chmodSync(file, 0o640);
  await until(() => got.some(([f, m]) => f === file && m === 0o640));
  const before = got.length;
  // What the guest's same-mode chmod looks like from the host: ctime only.
  fs.chmodSync(file, 0o640);
  fs.writeFileSync(path.join(dir, '.git', 'index'), 'x');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(got.length, before, 'no echo of the guest chmod, nothing from .git');
  fs.writeFileSync(file, 'two, longer');
  await until(() => got.length > before);
  // A folder made after the watch started is watched too.
  fs.mkdirSync(path.join(dir, 'src', 'later'));
  await new Promise((r) => setTimeout(r, 200));
  const late = path.join(dir, 'src', 'later', 'new.js');
  fs.writeFileSync(late, 'new');
  await until(() => got.some(([f]) => f === late));
  w.setRoots([]);
  assert.deepEqual(w.roots, []);
  w.close();
  fs.rmSync(dir, { recursive: true });
});

test('the channel writes one line per change to the port socket, connecting on first use', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-chan-'));
  const sock = path.join(dir, 'events.sock');
  let received = '';
  const server = net.createServer((c) => c.on('data', (d) => { received += d.toString(); }));
  await new Promise<void>((r) => server.listen(sock, r));
  const ch = new FileEventChannel(sock);
  ch.changed('/home/u/app/a b.js', 0o100644);
  ch.changed('/home/u/app/run.sh', 0o755);
  await until(() => received.split('\n').length === 3);
  assert.equal(received, '0644 /home/u/app/a b.js\n0755 /home/u/app/run.sh\n');
  assert.equal(fileEventLine('/x', 0o4755), '4755 /x\n');
  ch.close();
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true });
});
