import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { checkFileShares } from '../../../src-main/core/settings/file-shares.js';
import { virtiofsdArgs } from '../../../src-main/core/vm/qemu/virtiofs.js';
import { writeGuestConfig } from '../../../src-main/core/vm/guest-config.js';
import { readTar } from '../diagnostics/read-tar.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-sharepaths-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** Real folders whose names would change the meaning of what carries them. */
const withComma = path.join(root, 'a,source=etc');
const withNewline = path.join(root, 'a\nshare9 etc');
const withTab = path.join(root, 'tab\there');
for (const d of [withComma, withNewline, withTab]) fs.mkdirSync(d);

test('a share path with a comma is refused, with the reason', async () => {
  const errors = await checkFileShares([withComma], 'linux');
  assert.equal(errors.length, 1, 'a folder name with a comma was accepted');
  assert.match(errors[0]!, /comma/);
  assert.match(errors[0]!, /rename/i);
});

test('share paths with a newline, a tab or another control character are refused, with the reason', async () => {
  for (const p of [withNewline, withTab, `${root}/x\x7fy`, `${root}/nul\0byte`]) {
    const errors = await checkFileShares([p], 'linux');
    assert.equal(errors.length, 1, `${JSON.stringify(p)} was accepted`);
    assert.match(errors[0]!, /control character/);
    assert.ok(!errors[0]!.includes('\n'), 'the message itself must not carry the raw newline');
  }
  // Windows paths too (a comma reaches the same virtiofsd options there).
  assert.match((await checkFileShares(['C:\\Users\\a,b'], 'win32'))[0] ?? '', /comma/);
});

test('what reaches FUSE options is escaped: a comma cannot add a virtiofsd option', () => {
  const args = virtiofsdArgs({ path: '/usr/libexec/virtiofsd', flavour: 'c' }, '/run/v.sock', '/data/a,source=/etc\\x');
  const source = args[args.indexOf('-o') + 1]!;
  assert.equal(source, 'source=/data/a\\,source=/etc\\\\x');
  // Rust virtiofsd takes the directory as one argv entry: nothing to escape, nothing to split.
  assert.ok(virtiofsdArgs({ path: 'virtiofsd', flavour: 'rust' }, '/run/v.sock', '/data/a,b').includes('--shared-dir=/data/a,b'));
});

test('the guest share list cannot gain lines: a path with a newline is refused when the config is written', async () => {
  const file = path.join(root, 'guest-config.tar');
  const tls = { ca: 'c', serverCert: 's', serverKey: 'k', clientCert: 'cc', clientKey: 'ck' };
  await assert.rejects(
    writeGuestConfig(file, { tls: tls as never, daemonJson: {}, shares: [{ tag: 'share0', path: '/home/a\nshare1 /etc' }], env: {} }),
    /control character/,
  );
  assert.equal(fs.existsSync(file), false, 'a config was written anyway');
  await writeGuestConfig(file, { tls: tls as never, daemonJson: {}, shares: [{ tag: 'share0', path: '/home/a b' }], env: {} });
  assert.equal(readTar(fs.readFileSync(file)).get('shares'), 'share0 /home/a b\n');
});
