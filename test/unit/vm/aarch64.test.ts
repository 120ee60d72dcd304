import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildQemuArgs, NINEP_SECURITY_MODEL, qemuArchOf, type QemuArgsInput } from '../../../src-main/core/vm/qemu/args.js';
import { acceleratorPlan, nativeAccelerator } from '../../../src-main/core/vm/qemu/accelerator.js';
import { qemuInstallHint } from '../../../src-main/core/vm/qemu/qemu-binary.js';
import { chooseFileSharing } from '../../../src-main/core/vm/qemu/file-sharing.js';
import { guestArchFor } from '../../../src-main/core/vm/guest-arch.js';

const base: QemuArgsInput = {
  accelerator: 'tcg', cpus: 2, memoryMiB: 2048, swapMiB: 0, kernel: '/c/Image', initrd: '/c/initrd.img', rootfs: '/c/rootfs.squashfs',
  dataDisk: '/h/disks/data.img', guestConfigTar: '/h/run/guest-config.tar', consoleLog: '/h/logs/console.log', qmpSocket: '/h/run/qmp.sock',
  shellSocket: '/h/run/shell.sock', pidFile: '/h/run/qemu.pid', enginePort: 41234, shares: [], platform: 'linux', arch: 'aarch64',
};
const valueOf = (args: string[], flag: string): string[] => args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));

test('aarch64: the virt machine, the PL011 console, and the same devices, disks and sockets as x86_64', () => {
  const arm = buildQemuArgs(base);
  const x86 = buildQemuArgs({ ...base, arch: 'x86_64', kernel: '/c/vmlinuz' });
  assert.deepEqual(valueOf(arm, '-machine'), ['virt']);
  assert.deepEqual(valueOf(x86, '-machine'), ['q35,acpi=on']);
  assert.match(valueOf(arm, '-append')[0]!, /^console=ttyAMA0 /);
  assert.match(valueOf(x86, '-append')[0]!, /^console=ttyS0 /);
  assert.deepEqual(valueOf(arm, '-kernel'), ['/c/Image'], 'the uncompressed Image boots directly');
  for (const flag of ['-drive', '-device', '-netdev', '-chardev', '-serial', '-qmp', '-fw_cfg', '-pidfile', '-initrd']) {
    assert.deepEqual(valueOf(arm, flag), valueOf(x86, flag), `${flag} is the same on both`);
  }
});

test('aarch64 CPU model: host under hvf, max under tcg', () => {
  assert.deepEqual(valueOf(buildQemuArgs({ ...base, accelerator: 'hvf', platform: 'darwin' }), '-cpu'), ['host']);
  assert.deepEqual(valueOf(buildQemuArgs({ ...base, accelerator: 'hvf', platform: 'darwin' }), '-accel'), ['hvf']);
  assert.deepEqual(valueOf(buildQemuArgs(base), '-cpu'), ['max']);
  assert.deepEqual(valueOf(buildQemuArgs(base), '-accel'), ['tcg']);
});

test('9p shares: one -virtfs each with the chosen security model; commas in paths are escaped', () => {
  const args = buildQemuArgs({ ...base, shares9p: [{ tag: 'share0', path: '/Users/me' }, { tag: 'share1', path: '/tmp/a,b' }] });
  assert.deepEqual(valueOf(args, '-virtfs'), [
    `local,path=/Users/me,mount_tag=share0,security_model=${NINEP_SECURITY_MODEL},id=p9fs0`,
    `local,path=/tmp/a,,b,mount_tag=share1,security_model=${NINEP_SECURITY_MODEL},id=p9fs1`,
  ]);
  assert.equal(NINEP_SECURITY_MODEL, 'none');
  assert.deepEqual(valueOf(args, '-object'), [], '9p needs no shared guest memory (virtio-fs does)');
});

test('accelerator per host and guest architecture', () => {
  // Apple Silicon, arm64 guest: hvf then tcg.
  assert.deepEqual(acceleratorPlan({ requested: 'auto', platform: 'darwin', nativeAvailable: true, verdicts: [], qemuVersion: '9.2', hostArch: 'arm64', guestArch: 'aarch64' }), ['hvf', 'tcg']);
  // Intel Mac, amd64 guest: hvf too.
  assert.deepEqual(acceleratorPlan({ requested: 'auto', platform: 'darwin', nativeAvailable: true, verdicts: [], qemuVersion: '9.2', hostArch: 'x64', guestArch: 'x86_64' }), ['hvf', 'tcg']);
  // An arm64 guest on an x86-64 Linux host (this machine's arm64 tests): no hypervisor runs it.
  assert.deepEqual(acceleratorPlan({ requested: 'auto', platform: 'linux', nativeAvailable: true, verdicts: [], qemuVersion: '7.2', hostArch: 'x64', guestArch: 'aarch64' }), ['tcg']);
  assert.equal(nativeAccelerator('darwin', 'x64', 'aarch64'), undefined);
  assert.equal(nativeAccelerator('linux', 'arm64', 'aarch64'), 'kvm');
  // hvf remembered as broken for this QEMU: straight to tcg.
  const verdicts = [{ accelerator: 'hvf' as const, works: false, qemuVersion: '9.2', at: 'x' }];
  assert.deepEqual(acceleratorPlan({ requested: 'auto', platform: 'darwin', nativeAvailable: true, verdicts, qemuVersion: '9.2', hostArch: 'arm64', guestArch: 'aarch64' }), ['tcg']);
});

test('the guest follows the host architecture unless WHARF_GUEST_ARCH says otherwise', () => {
  assert.equal(guestArchFor('arm64', {}), 'arm64');
  assert.equal(guestArchFor('x64', {}), 'amd64');
  assert.equal(guestArchFor('x64', { WHARF_GUEST_ARCH: 'arm64' }), 'arm64');
  assert.equal(guestArchFor('x64', { WHARF_GUEST_ARCH: 'sparc' }), 'amd64');
  assert.equal(qemuArchOf('arm64'), 'aarch64');
  assert.equal(qemuArchOf('amd64'), 'x86_64');
});

test('a missing qemu-system-aarch64 names brew on macOS and the Debian package on Linux', () => {
  assert.equal(qemuInstallHint('darwin', 'aarch64'), 'Install it with: brew install qemu');
  assert.match(qemuInstallHint('linux', 'aarch64'), /sudo apt-get install qemu-system-arm/);
  assert.match(qemuInstallHint('linux', 'x86_64'), /sudo apt-get install qemu-system-x86/);
});

test('file sharing: auto prefers virtio-fs, falls back to 9p, and Windows QEMU has none', () => {
  assert.equal(chooseFileSharing({ setting: 'auto', platform: 'linux', virtiofsd: true }).mechanism, 'virtiofs');
  assert.equal(chooseFileSharing({ setting: 'auto', platform: 'linux', virtiofsd: false }).mechanism, '9p');
  assert.equal(chooseFileSharing({ setting: 'auto', platform: 'darwin', virtiofsd: false }).mechanism, '9p');
  assert.match(chooseFileSharing({ setting: 'auto', platform: 'darwin', virtiofsd: false }).reason, /only on Linux/);
  assert.equal(chooseFileSharing({ setting: '9p', platform: 'linux', virtiofsd: true }).mechanism, '9p');
  const win = chooseFileSharing({ setting: 'auto', platform: 'win32', virtiofsd: false });
  assert.equal(win.mechanism, 'none');
  assert.match(win.reason, /WSL 2/);
  assert.throws(() => chooseFileSharing({ setting: 'virtiofs', platform: 'darwin', virtiofsd: false }), /only on Linux.*auto or 9p/);
  assert.throws(() => chooseFileSharing({ setting: 'virtiofs', platform: 'linux', virtiofsd: false }), /was not found/);
});
