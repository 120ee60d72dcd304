import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { wharfPaths } from '../../../src-main/core/paths.js';
import { qemuPaths } from '../../../src-main/core/vm/qemu/paths.js';
import { QemuBackend } from '../../../src-main/core/vm/qemu/lifecycle.js';
import { isAcceleratorFailure, readVerdicts } from '../../../src-main/core/vm/qemu/accelerator.js';
import type { VmAssets } from '../../../src-main/core/vm/assets.js';

/** QEMU 7.2's stderr on this host, recorded for each way a launch fails. */
const RECORDED = {
  diskLocked: 'qemu-system-x86_64: -drive file=d.img,format=raw,if=virtio: Failed to get "write" lock\nIs another process using the image [d.img]?\n',
  portTaken: "qemu-system-x86_64: -netdev user,id=n0,hostfwd=tcp:127.0.0.1:53085-10.0.2.15:2376: Could not set up host forwarding rule 'tcp:127.0.0.1:53085-10.0.2.15:2376'\n",
  kvmMissing: 'Could not access KVM kernel module: No such file or directory\nqemu-system-x86_64: -accel kvm: failed to initialize kvm: No such file or directory\n',
  kvmTooOld: 'kvm version too old\nqemu-system-x86_64: -accel kvm: failed to initialize kvm: Inappropriate ioctl for device\n',
  hvfMissing: 'qemu-system-x86_64: -accel hvf: invalid accelerator hvf\n',
};

const homes: string[] = [];
after(async () => { for (const h of homes) await fs.rm(h, { recursive: true, force: true }); });

/** Boots with a stand-in qemu that fails the way `stderr` says when given `-accel <failOn>`, and fails plainly otherwise. */
async function startWithFailingQemu(stderr: string, failOn: string): Promise<{ verdicts: Awaited<ReturnType<typeof readVerdicts>>; error: string }> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-verdict-'));
  homes.push(home);
  const paths = qemuPaths(wharfPaths(home, 'darwin'));
  const fake = path.join(home, 'qemu-system-x86_64');
  await fs.writeFile(path.join(home, 'stderr.txt'), stderr);
  await fs.writeFile(fake, [
    '#!/bin/sh',
    'if [ "$1" = "--version" ]; then echo "QEMU emulator version 7.2.0"; exit 0; fi',
    `case " $* " in *" -accel ${failOn} "*) cat "${home}/stderr.txt" >&2; exit 1;; esac`,
    'echo "qemu-system-x86_64: -accel tcg: stand-in refuses" >&2; exit 1',
  ].join('\n'), { mode: 0o755 });
  const assets: VmAssets = { kernel: fake, initrd: fake, rootfs: fake, hash: 'h', dir: home, kernelVersion: '6.1', dockerVersion: '26', containerdVersion: '1.7' } as VmAssets;
  const saved = process.env.WHARF_QEMU;
  process.env.WHARF_QEMU = fake;
  // darwin: the native accelerator (hvf) is always "available", so auto plans [hvf, tcg] on any host.
  const backend = new QemuBackend({ paths, assets: async () => assets, platform: 'darwin', cacheDir: home });
  let error = '';
  try {
    await backend.start({ cpus: 1, memoryMiB: 256, swapMiB: 0, diskGiB: 1, accelerator: 'auto', fileShares: [], guestConfigTar: fake });
  } catch (err) {
    error = (err as Error).message;
  } finally {
    if (saved === undefined) delete process.env.WHARF_QEMU; else process.env.WHARF_QEMU = saved;
  }
  return { verdicts: await readVerdicts(path.join(home, 'accelerator-verdicts.json')), error };
}

test('a locked data disk is reported as such and is not recorded as a broken accelerator', async () => {
  const { verdicts, error } = await startWithFailingQemu(RECORDED.diskLocked, 'hvf');
  assert.deepEqual(verdicts, [], 'a locked disk was remembered as "hvf is broken"');
  assert.match(error, /write" lock/);
});

test('a port taken between probe and bind is not recorded as a broken accelerator', async () => {
  const { verdicts, error } = await startWithFailingQemu(RECORDED.portTaken, 'hvf');
  assert.deepEqual(verdicts, [], 'a taken port was remembered as "hvf is broken"');
  assert.match(error, /host forwarding rule/);
});

test('an accelerator QEMU cannot initialise is recorded, and the same start falls back to tcg', async () => {
  const { verdicts, error } = await startWithFailingQemu(RECORDED.hvfMissing, 'hvf');
  assert.equal(verdicts.length, 1);
  assert.equal(verdicts[0]!.accelerator, 'hvf');
  assert.equal(verdicts[0]!.works, false);
  assert.match(error, /-accel tcg: stand-in refuses/, 'tcg was not tried after hvf failed');
});

test('isAcceleratorFailure: QEMU\'s accelerator errors yes, everything else no', () => {
  for (const s of [RECORDED.kvmMissing, RECORDED.kvmTooOld, RECORDED.hvfMissing,
    'qemu-system-x86_64: WHPX: No accelerator found, hr=80004005', 'qemu-system-aarch64: Error: HV_DENIED', 'error: failed to set MSR 0x10a to 0x0']) {
    assert.equal(isAcceleratorFailure(s), true, s);
  }
  for (const s of [RECORDED.diskLocked, RECORDED.portTaken, '', 'qemu-system-x86_64: -kernel /x: No such file or directory',
    'qemu-system-x86_64: cannot set up guest memory \'pc.ram\': Cannot allocate memory']) {
    assert.equal(isAcceleratorFailure(s), false, s);
  }
});
