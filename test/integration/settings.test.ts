import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WharfTestEnv, qemuProcessesFor, waitFor } from '../support/wharf-env.js';
import { assertBindMountBothWays } from '../support/bind-mount-check.js';
import { buildBusyboxImage } from '../support/test-image.js';

/** Settings are validated, persisted, and applied by a restart: checked in the real VM. */
describe('settings and resources, applied to the real VM', { timeout: 40 * 60_000 }, () => {
  const env = new WharfTestEnv('settings');
  const share = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-share-'));
  let image = '';
  after(async () => {
    await env.wharf(['stop'], { timeoutMs: 120_000 });
    env.cleanup();
  });

  const settingsFile = () => path.join(env.home, 'settings.json');
  const dockerInfo = async () => {
    const r = await env.docker(['info', '--format', '{{json .}}']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as { NCPU: number; MemTotal: number; Debug: boolean };
  };

  test('every bad input is refused with a clear message and changes nothing', async () => {
    assert.equal((await env.wharf(['set', 'cpus=1'])).code, 0);
    const before = fs.readFileSync(settingsFile());
    const cases: Array<[string[], RegExp]> = [
      [['cpus=-1'], /cpus must be .*between 1 and \d+/],
      [[`memory=${(os.totalmem() / 1024 / 1024) * 4}`], /memory/],
      [['warp=9'], /not a setting|valid settings/i],
      [['daemonJson={not json'], /JSON/],
      [[`fileShares=${path.join(share, 'does-not-exist')}`], /does not exist/],
      [['cpus'], /=|key=value/],
    ];
    for (const [args, pattern] of cases) {
      const r = await env.wharf(['set', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')} should fail: ${r.stdout}`);
      assert.match(r.stderr, pattern, args.join(' '));
      assert.deepEqual(fs.readFileSync(settingsFile()), before, `${args.join(' ')} must leave settings.json as it was`);
    }
  });

  test('cpus=1 memory=1024 and a daemon.json apply at start; docker info shows them', async () => {
    fs.writeFileSync(path.join(share, 'from-host.txt'), 'written on the host\n');
    const set = await env.wharf(['set', 'cpus=1', 'memory=1024', 'disk=16', `fileShares=${share}`, 'daemonJson={"debug": true}']);
    assert.equal(set.code, 0, set.stderr);
    const r = await env.wharf(['start'], { timeoutMs: 900_000 });
    assert.equal(r.code, 0, r.stderr);
    const info = await dockerInfo();
    assert.equal(info.NCPU, 1);
    assert.ok(info.MemTotal > 0.75 * 1024 ** 3 && info.MemTotal <= 1024 ** 3, `MemTotal ${info.MemTotal}`);
    assert.equal(info.Debug, true);
  });

  test('a bind mount of a host dir reads and writes both ways, owned by the host user', async () => {
    image = await buildBusyboxImage(env);
    await assertBindMountBothWays(env, share, image);
  });

  test('the disk only grows: a shrink is refused with the reason', async () => {
    const r = await env.wharf(['set', 'disk=8']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /disk.*(shrink|only grow)/i);
  });

  test('growing the disk keeps volumes; a daemon.json dockerd refuses is rolled back', async () => {
    const w = await env.docker(['run', '--rm', '-v', 'keepme:/data', image, 'sh', '-c', 'echo still here > /data/f']);
    assert.equal(w.code, 0, w.stderr);
    assert.equal((await env.wharf(['set', 'disk=20', 'daemonJson={"debug": true, "bip": "999.1.1.1/24"}'])).code, 0);
    const r = await env.wharf(['restart'], { timeoutMs: 900_000 });
    assert.equal(r.code, 0, r.stderr);
    const read = await env.docker(['run', '--rm', '-v', 'keepme:/data', image, 'cat', '/data/f']);
    assert.equal(read.stdout.trim(), 'still here', read.stderr);
    const df = await env.wharf(['shell', '-c', 'df -k /var/lib/docker | tail -n 1']);
    const kb = Number(df.stdout.trim().split(/\s+/)[1]);
    assert.ok(kb > 18 * 1024 * 1024, `data filesystem is ${kb} KiB after growing to 20 GiB`);
    const status = JSON.parse((await env.wharf(['status', '--json'])).stdout);
    const refusal = status.notices.find((n: { code: string }) => n.code === 'daemon-json-rejected');
    assert.match(refusal?.message ?? '', /dockerd refused the new daemon\.json/);
    const saved = await waitFor(async () => {
      const s = JSON.parse(fs.readFileSync(settingsFile(), 'utf8'));
      return s.daemonJson.bip === undefined ? s : undefined;
    }, 10_000, 'the daemon.json rollback in settings');
    assert.deepEqual(saved.daemonJson, { debug: true });
    assert.equal((await dockerInfo()).Debug, true);
  });

  test('factory reset removes the VM, disk, certificates, settings and the docker context', async () => {
    const refused = await env.wharf(['reset']);
    assert.equal(refused.code, 2, 'reset without --yes must not run');
    assert.ok(fs.existsSync(path.join(env.home, 'disks', 'data.img')));
    const r = await env.wharf(['reset', '--yes'], { timeoutMs: 300_000 });
    assert.equal(r.code, 0, r.stderr);
    await waitFor(async () => (qemuProcessesFor(env.home).length === 0 ? true : undefined), 30_000, 'qemu to exit');
    for (const gone of ['disks', 'certs', 'settings.json']) assert.equal(fs.existsSync(path.join(env.home, gone)), false, `${gone} must be gone`);
    assert.equal(fs.existsSync(env.socket), false);
    const ctx = await env.run('docker', ['context', 'ls', '--format', '{{.Name}}']);
    assert.doesNotMatch(ctx.stdout, /^wharf$/m);
  });
});

describe('a corrupt settings file', () => {
  const env = new WharfTestEnv('corrupt-settings');
  after(() => env.cleanup());

  test('is kept aside, defaults are used, and wharf status says so', async () => {
    fs.mkdirSync(env.home, { recursive: true });
    fs.writeFileSync(path.join(env.home, 'settings.json'), '{"version": 2, "cpus": ');
    const get = await env.wharf(['get', 'cpus']);
    assert.equal(get.code, 0, get.stderr);
    const backups = fs.readdirSync(env.home).filter((f) => f.startsWith('settings.json.bak-'));
    assert.equal(backups.length, 1);
    assert.equal(fs.readFileSync(path.join(env.home, backups[0]!), 'utf8'), '{"version": 2, "cpus": ');
    const status = JSON.parse((await env.wharf(['status', '--json'])).stdout);
    assert.match(status.notices.filter((n: { code: string }) => n.code === 'settings').map((n: { message: string }) => n.message).join('\n'), /settings\.json\.bak-/);
  });
});
