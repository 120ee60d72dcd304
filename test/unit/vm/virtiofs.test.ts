import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseVirtiofsTuning, virtiofsdArgs, DEFAULT_VIRTIOFS_TUNING } from '../../../src-main/core/vm/qemu/virtiofs.js';
import { countEntriesUpTo, parseOpenFileLimit, shareLimitNotices, virtiofsdNofile } from '../../../src-main/core/vm/qemu/virtiofs-limits.js';
import { acceleratorCmdline, buildQemuArgs, parseSyncNice, type QemuArgsInput } from '../../../src-main/core/vm/qemu/args.js';
import { acceleratorVerdictFile } from '../../../src-main/core/vm/qemu/accelerator.js';

// Recorded from this machine: a hard limit of 20,000 and no CAP_SYS_RESOURCE (bit 24 clear).
const LIMITS = 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            20000                20000                files\n';
const STATUS_NO_CAP = 'Name:\tnode\nCapEff:\t000001fffeffffff\n';
const STATUS_ROOT = 'Name:\tnode\nCapEff:\t000001ffffffffff\n';

test('the open-file limit and CAP_SYS_RESOURCE are read from /proc', () => {
  assert.deepEqual(parseOpenFileLimit(LIMITS, STATUS_NO_CAP), { soft: 20000, hard: 20000, canRaise: false });
  assert.deepEqual(parseOpenFileLimit(LIMITS.replace('20000                20000', '1024                 524288'), STATUS_ROOT), { soft: 1024, hard: 524288, canRaise: true });
  assert.equal(parseOpenFileLimit('nothing', STATUS_ROOT), undefined);
});

test('virtiofsd is asked for the hard limit unless it may raise it itself', () => {
  assert.equal(virtiofsdNofile({ soft: 1024, hard: 524288, canRaise: false }), 524288);
  assert.equal(virtiofsdNofile({ soft: 1024, hard: 524288, canRaise: true }), undefined);
  assert.equal(virtiofsdNofile(undefined), undefined);
});

test('tuning items parse, and bad ones are refused with what to write', () => {
  assert.deepEqual(parseVirtiofsTuning(undefined), DEFAULT_VIRTIOFS_TUNING);
  assert.deepEqual(parseVirtiofsTuning('writeback, threads=1,queue=1024,cache=always'), { cache: 'always', writeback: true, threadPoolSize: 1, queueSize: 1024 });
  assert.throws(() => parseVirtiofsTuning('queue=4096'), /queue needs a whole number from 0 to 1024/);
  assert.throws(() => parseVirtiofsTuning('dax'), /unknown item "dax"/);
  assert.throws(() => parseVirtiofsTuning('cache=sometimes'), /unknown item/);
});

test('virtiofsd arguments carry the tuning and the descriptor limit, for both flavours', () => {
  const tuning = { cache: 'auto' as const, writeback: true, threadPoolSize: 1 };
  assert.deepEqual(virtiofsdArgs({ path: '/v', flavour: 'c' }, '/s.sock', '/src', { tuning, nofile: 20000 }),
    ['--socket-path=/s.sock', '-o', 'source=/src', '-o', 'cache=auto', '-o', 'sandbox=chroot', '-o', 'writeback', '--rlimit-nofile=20000', '--thread-pool-size=1']);
  const rust = virtiofsdArgs({ path: '/v', flavour: 'rust' }, '/s.sock', '/src', { tuning, nofile: 20000 });
  assert.ok(rust.includes('--writeback') && rust.includes('--rlimit-nofile=20000') && rust.includes('--cache=auto'));
  assert.deepEqual(virtiofsdArgs({ path: '/v', flavour: 'c' }, '/s.sock', '/src'), ['--socket-path=/s.sock', '-o', 'source=/src', '-o', 'cache=auto', '-o', 'sandbox=chroot']);
});

test('QEMU gets the queue size per share and the guest the descriptor limit', () => {
  const base = {
    accelerator: 'tcg', cpus: 1, memoryMiB: 1024, swapMiB: 0, kernel: '/k', initrd: '/i', rootfs: '/r', dataDisk: '/d', guestConfigTar: '/t',
    consoleLog: '/c', qmpSocket: '/q', shellSocket: '/s', pidFile: '/p', enginePort: 1, platform: 'linux',
  } satisfies Omit<QemuArgsInput, 'shares'>;
  const args = buildQemuArgs({ ...base, shares: [{ tag: 'share0', socket: '/fs.sock', queueSize: 1024 }], shareFileLimit: 20000 });
  assert.ok(args.includes('vhost-user-fs-pci,chardev=fs0,tag=share0,queue-size=1024'));
  assert.match(args[args.indexOf('-append') + 1]!, / wharf\.fs_nofile=20000$/);
  assert.doesNotMatch(buildQemuArgs({ ...base, shares: [] })[args.indexOf('-append') + 1]!, /fs_nofile/);
});

test('a share larger than the limit gets a notice saying what to do; a small one none', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-count-'));
  for (let i = 0; i < 30; i++) fs.mkdirSync(path.join(dir, `d${i % 3}`, `e${i}`), { recursive: true });
  assert.deepEqual(await countEntriesUpTo(dir, 1000), { count: 33, complete: true });
  assert.equal((await countEntriesUpTo(dir, 10)).complete, false);
  const [notice] = await shareLimitNotices([dir], { soft: 20, hard: 20, canRaise: false });
  assert.match(notice!, new RegExp(`${dir} holds more than 20 files.*Too many open files.*Raise the hard limit`));
  assert.deepEqual(await shareLimitNotices([dir], { soft: 100, hard: 100, canRaise: false }), []);
  assert.deepEqual(await shareLimitNotices([dir], { soft: 20, hard: 20, canRaise: true }), []);
  fs.rmSync(dir, { recursive: true });
});

test('accelerator verdicts live in the cache, shared by every WHARF_HOME', () => {
  assert.equal(acceleratorVerdictFile('/home/u/.cache/wharf'), '/home/u/.cache/wharf/accelerator-verdicts.json');
});

test('under software emulation only: mitigations off, and the guest is told it is emulated', () => {
  assert.deepEqual(acceleratorCmdline('tcg', {}), ['mitigations=off', 'wharf.tcg=1']);
  assert.deepEqual(acceleratorCmdline('tcg', { WHARF_TCG_MITIGATIONS: 'on' }), ['wharf.tcg=1']);
  assert.deepEqual(acceleratorCmdline('tcg', { WHARF_TCG_MITIGATIONS: 'on', WHARF_TCG_IPTABLES_ASLR: 'on' }), []);
  assert.deepEqual(acceleratorCmdline('tcg', { WHARF_TCG_IPTABLES_FORKSERVER: 'off' }), ['mitigations=off', 'wharf.tcg=1', 'wharf.xtables_forkserver=0']);
  assert.deepEqual(acceleratorCmdline('tcg', { WHARF_TCG_IPTABLES_ASLR: 'on', WHARF_TCG_IPTABLES_FORKSERVER: 'off' }), ['mitigations=off']);
  assert.deepEqual(acceleratorCmdline('kvm', {}), []);
  assert.deepEqual(acceleratorCmdline('hvf', {}), []);
});

test('WHARF_SYNC_NICE reaches the guest as wharf.sync_nice; anything but 0-19 is refused before a boot', () => {
  assert.equal(parseSyncNice(undefined), undefined);
  assert.equal(parseSyncNice(''), undefined);
  assert.equal(parseSyncNice('0'), 0);
  assert.equal(parseSyncNice('19'), 19);
  for (const bad of ['20', '-1', '5x', ' 3', '1.5', '007']) {
    assert.throws(() => parseSyncNice(bad), (e: Error & { code?: string }) => e.code === 'bad-tuning' && /WHARF_SYNC_NICE needs a whole number from 0 to 19/.test(e.message), bad);
  }
  const base = {
    accelerator: 'tcg', cpus: 1, memoryMiB: 1024, swapMiB: 0, kernel: '/k', initrd: '/i', rootfs: '/r', dataDisk: '/d', guestConfigTar: '/t',
    consoleLog: '/c', qmpSocket: '/q', shellSocket: '/s', pidFile: '/p', enginePort: 1, platform: 'linux', shares: [],
  } satisfies QemuArgsInput;
  const cmdline = (input: Partial<QemuArgsInput>) => { const a = buildQemuArgs({ ...base, ...input }); return a[a.indexOf('-append') + 1]!; };
  assert.match(cmdline({ syncNice: 0 }), / wharf\.sync_nice=0(\s|$)/);
  assert.doesNotMatch(cmdline({}), /sync_nice/);
});
