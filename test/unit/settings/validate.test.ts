import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import type { Settings } from '../../../src-main/core/contract/settings-schema.js';
import { maxMemoryMiB, memoryHeadroomMiB, validatePatch, type ValidationContext } from '../../../src-main/core/settings/validate.js';
import { fakeDefaults, fakeHost, tempDir } from './helpers.js';

async function ctxWithShares(): Promise<{ ctx: ValidationContext; dir: string }> {
  const dir = await tempDir('wharf-shares-');
  await fs.mkdir(path.join(dir, 'code', 'app'), { recursive: true });
  await fs.mkdir(path.join(dir, 'other'));
  await fs.writeFile(path.join(dir, 'notes.txt'), 'hi');
  const current: Settings = fakeDefaults({}, [path.join(dir, 'code')]);
  // A 64 GiB data disk exists, so it cannot shrink below that.
  return { ctx: { host: fakeHost(), current, existingDiskGiB: 64 }, dir };
}

async function refusals(patch: unknown, ctx?: ValidationContext): Promise<string[]> {
  const c = ctx ?? (await ctxWithShares()).ctx;
  const result = await validatePatch(patch, c);
  assert.equal(result.ok, false, `expected ${JSON.stringify(patch)} to be refused`);
  return result.ok ? [] : result.refused.map((r) => r.reason);
}

test('negative or too many CPUs: says the range, the host count and what was given', async () => {
  assert.deepEqual(await refusals({ cpus: -1 }), ['cpus must be a whole number between 1 and 2 (this host has 2 CPUs); got -1.']);
  assert.match((await refusals({ cpus: 3 }))[0]!, /between 1 and 2 .*got 3/);
  assert.match((await refusals({ cpus: 1.5 }))[0]!, /whole number/);
  assert.match((await refusals({ cpus: '2' }))[0]!, /got "2"/);
});

test('memory beyond the host minus headroom, or under 1 GiB, is refused with the bounds', async () => {
  assert.equal(memoryHeadroomMiB(8192), 2048);
  assert.equal(maxMemoryMiB({ memoryMiB: 8192 }), 6144);
  const [msg] = await refusals({ memory: 16384 });
  assert.equal(msg, 'memory must be between 1024 and 6144 MiB (this host has 8192 MiB and keeps 2048 MiB for itself); got 16384 MiB. Example: memory=4GiB.');
  assert.match((await refusals({ memory: 512 }))[0]!, /got 512 MiB/);
});

test('swap must be 0 or more', async () => {
  assert.match((await refusals({ swap: -1 }))[0]!, /swap must be between 0 \(off\) and 65536 MiB; got -1/);
});

test('before the first start there is no disk yet, so any size from the minimum up is allowed', async () => {
  const { ctx } = await ctxWithShares();
  const r = await validatePatch({ disk: 16 }, { ...ctx, existingDiskGiB: undefined });
  assert.equal(r.ok, true);
});

test('a disk shrink is refused with the current size and what to do', async () => {
  const [msg] = await refusals({ disk: 32 });
  assert.match(msg!, /disk cannot shrink: it is 64 GiB now and got 32 GiB/);
  assert.match(msg!, /factory reset/);
});

test('an accelerator or backend this host lacks is refused with the reason', async () => {
  assert.match((await refusals({ accelerator: 'hvf' }))[0]!, /accelerator hvf is not available on this host: Hypervisor.framework exists only on macOS\. Use accelerator=auto/);
  assert.match((await refusals({ backend: 'vz' }))[0]!, /backend vz is not available on this host: .*only on macOS/);
  assert.match((await refusals({ backend: 'wsl' }))[0]!, /only on Windows/);
  const { ctx } = await ctxWithShares();
  const noKvm = { ...ctx, host: fakeHost({ kvm: 'no-access' }) };
  assert.match((await refusals({ accelerator: 'kvm' }, noKvm))[0]!, /kvm group/);
  assert.match((await refusals({ accelerator: 'warp' }))[0]!, /accelerator must be one of auto, kvm, hvf, whpx, tcg; got "warp"/);
});

test('kvm on a host where /dev/kvm is usable is accepted (proved at boot, not here)', async () => {
  const { ctx } = await ctxWithShares();
  const r = await validatePatch({ accelerator: 'kvm' }, ctx);
  assert.ok(r.ok);
});

test('an unknown key lists the valid ones', async () => {
  const [msg] = await refusals({ cpu: 2 });
  assert.equal(msg, '"cpu" is not a setting; valid settings are: cpus, memory, swap, disk, accelerator, backend, switchContext, fileShares, fileSharing, syncedShares, daemonJson, startAtLogin, httpProxy, httpsProxy, noProxy, containerHttpProxy, containerHttpsProxy, containerNoProxy, resourceSaverMinutes.');
});

test('file shares: missing path, a file, relative, overlapping, duplicate, root, guest system paths', async () => {
  const { ctx, dir } = await ctxWithShares();
  const code = path.join(dir, 'code');
  assert.match((await refusals({ fileShares: [code, path.join(dir, 'nope')] }, ctx))[0]!, /nope" does not exist; create the folder first or remove it/);
  assert.match((await refusals({ fileShares: [path.join(dir, 'notes.txt')] }, ctx))[0]!, /is a file, not a folder; share the folder that contains it/);
  assert.match((await refusals({ fileShares: ['code'] }, ctx))[0]!, /"code" is not an absolute path/);
  assert.match((await refusals({ fileShares: [code, path.join(code, 'app')] }, ctx))[0]!, /app" is inside ".*code", which is also shared/);
  assert.match((await refusals({ fileShares: [path.join(code, 'app'), code] }, ctx))[0]!, /app" is inside ".*code", which is also shared/);
  assert.match((await refusals({ fileShares: [code, code + '/'] }, ctx))[0]!, /listed twice/);
  assert.match((await refusals({ fileShares: ['/'] }, ctx))[0]!, /whole file system/);
  assert.match((await refusals({ fileShares: ['/etc'] }, ctx))[0]!, /mounted over the VM's own \/etc/);
  assert.match((await refusals({ fileShares: ['/var'] }, ctx))[0]!, /mounted over the VM's own \/var\/lib\/docker/);
});

test('good shares are accepted and normalized; siblings do not overlap', async () => {
  const { ctx, dir } = await ctxWithShares();
  const r = await validatePatch({ fileShares: [path.join(dir, 'code') + '/', path.join(dir, 'other')] }, ctx);
  assert.ok(r.ok);
  assert.deepEqual(r.next.fileShares, [path.join(dir, 'code'), path.join(dir, 'other')]);
});

test('daemon.json problems are refused through the same path', async () => {
  const msgs = await refusals({ daemonJson: { 'log-levle': 'debug', hosts: ['tcp://0.0.0.0:2375'] } });
  assert.equal(msgs.length, 2);
  assert.match(msgs[0]!, /daemonJson: "log-levle" is not a dockerd option; did you mean "log-level"\?/);
  assert.match(msgs[1]!, /daemonJson: "hosts" cannot be set/);
});

test('every problem is reported at once', async () => {
  const msgs = await refusals({ cpus: -1, memory: 99999999, disk: 10, nope: 1 });
  assert.equal(msgs.length, 4);
});

test('unchanged keys are not re-checked against the host (a UI may send the whole form)', async () => {
  const { ctx } = await ctxWithShares();
  const current = { ...ctx.current, cpus: 16, fileShares: ['/gone/away'] };
  const r = await validatePatch({ ...current, version: undefined, swap: 0 }, { ...ctx, current });
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.next.swap, 0);
});

test('a valid patch yields the next settings', async () => {
  const { ctx } = await ctxWithShares();
  const r = await validatePatch({ cpus: 2, memory: 6144, disk: 80, swap: 0, switchContext: false, daemonJson: { debug: true } }, ctx);
  assert.ok(r.ok);
  assert.equal(r.next.cpus, 2);
  assert.equal(r.next.disk, 80);
  assert.deepEqual(r.next.daemonJson, { debug: true });
});

test('hostFitNotices flags saved values this host cannot honour', async () => {
  const { hostFitNotices } = await import('../../../src-main/core/settings/validate.js');
  const host = fakeHost();
  assert.deepEqual(hostFitNotices(fakeDefaults(), host), []);
  const notes = hostFitNotices({ ...fakeDefaults(), cpus: 16, memory: 32768, backend: 'vz' }, host);
  assert.equal(notes.length, 3);
  assert.match(notes[0]!, /16 CPUs but this host has 2; set cpus=2/);
  assert.match(notes[1]!, /at most 6144 MiB/);
  assert.match(notes[2]!, /vz backend is not available/);
});

test('fileSharing: auto, virtiofs or 9p; virtiofs is refused where virtiofsd cannot run', async () => {
  const { ctx } = await ctxWithShares();
  assert.equal((await validatePatch({ fileSharing: '9p' }, ctx)).ok, true);
  assert.deepEqual(await refusals({ fileSharing: 'nfs' }, ctx), ['fileSharing must be one of auto, virtiofs, 9p; got "nfs".']);
  const mac: ValidationContext = { ...ctx, host: fakeHost({ platform: 'darwin' }) };
  assert.match((await refusals({ fileSharing: 'virtiofs' }, mac))[0]!, /runs only on Linux; use fileSharing=auto \(9p on this host\)/);
  assert.equal((await validatePatch({ fileSharing: '9p' }, mac)).ok, true);
});
