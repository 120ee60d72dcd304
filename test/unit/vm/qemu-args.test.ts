import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildQemuArgs, qemuEscape, type QemuArgsInput } from '../../../src-main/core/vm/qemu/args.js';

const base: QemuArgsInput = {
  accelerator: 'tcg', cpus: 2, memoryMiB: 2048, swapMiB: 1024, kernel: '/c/vmlinuz', initrd: '/c/initrd.img', rootfs: '/c/rootfs.squashfs',
  dataDisk: '/h/disks/data.img', guestConfigTar: '/h/run/guest-config.tar', consoleLog: '/h/logs/console.log', qmpSocket: '/h/run/qmp.sock',
  shellSocket: '/h/run/shell.sock', pidFile: '/h/run/qemu.pid', enginePort: 41234, shares: [], platform: 'linux',
};

function valueOf(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));
}

test('tcg uses the max CPU model; kvm uses host', () => {
  assert.deepEqual(valueOf(buildQemuArgs(base), '-cpu'), ['max']);
  assert.deepEqual(valueOf(buildQemuArgs({ ...base, accelerator: 'kvm' }), '-cpu'), ['host']);
  assert.deepEqual(valueOf(buildQemuArgs({ ...base, accelerator: 'kvm' }), '-accel'), ['kvm']);
});

test('resources, disks, engine forward and control sockets are all on the line', () => {
  const args = buildQemuArgs(base);
  assert.deepEqual(valueOf(args, '-smp'), ['2']);
  assert.deepEqual(valueOf(args, '-m'), ['2048M']);
  assert.deepEqual(valueOf(args, '-drive'), [
    'if=virtio,file=/c/rootfs.squashfs,format=raw,readonly=on',
    'if=virtio,file=/h/disks/data.img,format=raw,discard=unmap',
  ]);
  assert.match(valueOf(args, '-netdev')[0]!, /hostfwd=tcp:127\.0\.0\.1:41234-10\.0\.2\.15:2376/);
  assert.deepEqual(valueOf(args, '-qmp'), ['unix:/h/run/qmp.sock,server=on,wait=off']);
  assert.match(valueOf(args, '-append')[0]!, /wharf\.swap=1024/);
  assert.ok(args.includes('-daemonize'));
  assert.ok(!args.includes('-nographic'), '-nographic conflicts with -daemonize');
  assert.ok(valueOf(args, '-device').includes('virtio-balloon-pci,free-page-reporting=on'));
  // The guest resyncs its clock from the RTC after a host sleep: the RTC must follow the host.
  assert.deepEqual(valueOf(args, '-rtc'), ['base=utc,clock=host']);
});

test('commas in paths are escaped so they cannot inject options', () => {
  assert.equal(qemuEscape('/a,b/c'), '/a,,b/c');
  const args = buildQemuArgs({ ...base, dataDisk: '/h,readonly=off/data.img' });
  assert.ok(valueOf(args, '-drive').includes('if=virtio,file=/h,,readonly=off/data.img,format=raw,discard=unmap'));
});

test('virtio-fs shares add shared memory and one vhost-user device each', () => {
  const args = buildQemuArgs({ ...base, shares: [{ tag: 'share0', socket: '/h/run/fs0.sock' }, { tag: 'share1', socket: '/h/run/fs1.sock' }] });
  assert.deepEqual(valueOf(args, '-object'), ['memory-backend-memfd,id=mem,size=2048M,share=on']);
  assert.deepEqual(valueOf(args, '-device').filter((d) => d.startsWith('vhost-user-fs-pci')), [
    'vhost-user-fs-pci,chardev=fs0,tag=share0', 'vhost-user-fs-pci,chardev=fs1,tag=share1',
  ]);
});
