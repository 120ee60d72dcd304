import type { Accelerator } from '../../contract/types.js';
import { UserError } from '../../errors.js';

export interface QemuShare {
  tag: string;
  /** vhost-user socket of the virtiofsd serving this share. */
  socket: string;
  /** vhost-user-fs-pci queue-size; QEMU's default (128) when absent. */
  queueSize?: number;
}

/** A folder QEMU serves itself over 9p (-virtfs), where virtiofsd is missing. */
export interface Qemu9pShare {
  tag: string;
  /** Host directory. */
  path: string;
}

/** QEMU's name for the guest architecture (qemu-system-<this>). */
export type QemuGuestArch = 'x86_64' | 'aarch64';

/** Debian architecture name (the image's) to QEMU's. */
export function qemuArchOf(imageArch: string): QemuGuestArch {
  return imageArch === 'arm64' ? 'aarch64' : 'x86_64';
}

/**
 * 9p security model: `none`. QEMU creates files as the host user running it and
 * ignores the guest's chown/chmod failures, so what a container writes is owned by
 * the host user with ordinary modes, and the guest sees host uids exactly as with
 * virtio-fs. `passthrough` would need QEMU to run as root to chown; `mapped-xattr`
 * and `mapped-file` would write metadata xattrs or .virtfs_metadata files into the
 * user's own folders.
 */
export const NINEP_SECURITY_MODEL = 'none';

export interface QemuArgsInput {
  accelerator: Accelerator;
  cpus: number;
  memoryMiB: number;
  swapMiB: number;
  kernel: string;
  initrd: string;
  rootfs: string;
  dataDisk: string;
  guestConfigTar: string;
  consoleLog: string;
  qmpSocket: string;
  shellSocket: string;
  pidFile: string;
  /** Loopback port forwarded to the guest's dockerd TLS port (2376). */
  enginePort: number;
  shares: QemuShare[];
  /** Shares served over 9p instead of virtio-fs. */
  shares9p?: Qemu9pShare[];
  /** Unix socket of the wharf.events virtio-serial port (host file changes for guest watchers). */
  eventsSocket?: string;
  /** Descriptors each virtiofsd may hold; the guest releases cached inodes before it (wharf.fs_nofile). */
  shareFileLimit?: number;
  platform: NodeJS.Platform;
  /** Guest architecture; x86_64 when absent. */
  arch?: QemuGuestArch;
  /** The niceness of synchronized folders' sync in the guest (wharf.sync_nice); the guest's default when absent. */
  syncNice?: number;
}

export const GUEST_IP = '10.0.2.15';
export const GUEST_DOCKER_TLS_PORT = 2376;

/** CPU model per accelerator: `host` needs hardware virtualization; TCG emulates `max`. */
function cpuModel(accel: Accelerator): string {
  return accel === 'tcg' ? 'max' : 'host';
}

/**
 * Kernel options that depend on the accelerator. Software emulation (TCG)
 * executes instructions one at a time and never speculates, so Spectre and
 * Meltdown mitigations protect nothing there and only cost: page-table
 * isolation rewrites CR3 (a full soft-TLB flush in TCG) on every syscall and
 * interrupt. Under a hardware accelerator the real CPU speculates: keep them.
 * WHARF_TCG_MITIGATIONS=on keeps them under TCG too (for benchmarks).
 *
 * wharf.tcg=1 tells the guest it is emulated, so it runs iptables without
 * address-space randomization: TCG keeps translated code per virtual address,
 * and dockerd's ~100 iptables runs at start then reuse one translation
 * (vm-assets/guest/helpers/xtables-norandom.c), and hands the runs to a fork
 * server of one loaded xtables-nft-multi (xtables-forkserver.c).
 * WHARF_TCG_IPTABLES_ASLR=on leaves both out, WHARF_TCG_IPTABLES_FORKSERVER=off
 * the fork server alone (for benchmarks).
 */
export function acceleratorCmdline(accel: Accelerator, env: NodeJS.ProcessEnv = process.env): string[] {
  if (accel !== 'tcg') return [];
  const tcgIptables = env.WHARF_TCG_IPTABLES_ASLR !== 'on';
  return [
    ...(env.WHARF_TCG_MITIGATIONS !== 'on' ? ['mitigations=off'] : []),
    ...(tcgIptables ? ['wharf.tcg=1'] : []),
    ...(tcgIptables && env.WHARF_TCG_IPTABLES_FORKSERVER === 'off' ? ['wharf.xtables_forkserver=0'] : []),
  ];
}

/**
 * WHARF_SYNC_NICE, for benchmarks only: the niceness (0-19) the guest runs the
 * synchronized folders' sync at, instead of its default (share-sync).
 */
export function parseSyncNice(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\d{1,2}$/.test(text) || Number(text) > 19) throw new UserError(`WHARF_SYNC_NICE needs a whole number from 0 to 19, not "${text}".`, 'bad-tuning');
  return Number(text);
}

/** QEMU option values are comma-separated; a comma inside a path must be doubled. */
export function qemuEscape(value: string): string {
  return value.replace(/,/g, ',,');
}

/**
 * x86_64: q35 (ACPI power button, 8250 on ttyS0). aarch64: virt booted without
 * firmware, so the guest has a device tree and no ACPI: the power button is a
 * gpio-keys key on the PL061, the console the PL011 (ttyAMA0).
 */
function machineFor(arch: QemuGuestArch, platform: NodeJS.Platform): { machine: string; console: string } {
  if (arch === 'aarch64') return { machine: 'virt', console: 'ttyAMA0' };
  return { machine: platform === 'darwin' ? 'q35' : 'q35,acpi=on', console: 'ttyS0' };
}

/**
 * The whole QEMU command line as an argument array (never a shell string).
 * The guest side of every device here is documented in vm-assets/README.md.
 */
export function buildQemuArgs(input: QemuArgsInput): string[] {
  const e = qemuEscape;
  const { machine, console } = machineFor(input.arch ?? 'x86_64', input.platform);
  const args = [
    '-name', 'wharf',
    '-machine', machine,
    '-accel', input.accelerator,
    '-cpu', cpuModel(input.accelerator),
    '-smp', String(input.cpus),
    '-m', `${input.memoryMiB}M`,
    // -nographic would grab stdio, which -daemonize forbids.
    '-display', 'none', '-nodefaults', '-no-user-config',
    '-kernel', input.kernel,
    '-initrd', input.initrd,
    '-append', [
      `console=${console}`, 'panic=-1', 'quiet', ...acceleratorCmdline(input.accelerator), `wharf.swap=${input.swapMiB}`,
      ...(input.shareFileLimit ? [`wharf.fs_nofile=${input.shareFileLimit}`] : []),
      ...(input.syncNice !== undefined ? [`wharf.sync_nice=${input.syncNice}`] : []),
    ].join(' '),
    '-drive', `if=virtio,file=${e(input.rootfs)},format=raw,readonly=on`,
    '-drive', `if=virtio,file=${e(input.dataDisk)},format=raw,discard=unmap`,
    '-fw_cfg', `name=opt/wharf/config.tar,file=${e(input.guestConfigTar)}`,
    '-netdev', `user,id=net0,hostfwd=tcp:127.0.0.1:${input.enginePort}-${GUEST_IP}:${GUEST_DOCKER_TLS_PORT}`,
    // romfile= skips the iPXE option ROM: we never network-boot, and loading it costs boot time.
    '-device', 'virtio-net-pci,netdev=net0,romfile=',
    '-chardev', `socket,id=shell,path=${e(input.shellSocket)},server=on,wait=off`,
    '-device', 'virtio-serial-pci',
    '-device', 'virtconsole,chardev=shell,name=wharf.shell',
    ...(input.eventsSocket ? [
      '-chardev', `socket,id=events,path=${e(input.eventsSocket)},server=on,wait=off`,
      '-device', 'virtserialport,chardev=events,name=wharf.events',
    ] : []),
    '-device', 'virtio-balloon-pci,free-page-reporting=on',
    // The guest's CMOS RTC follows the host's wall clock, so after a host sleep
    // (or any clock step) the guest's watch service can set its clock from it.
    '-rtc', 'base=utc,clock=host',
    '-chardev', `file,id=console,path=${e(input.consoleLog)}`,
    '-serial', 'chardev:console',
    '-qmp', `unix:${e(input.qmpSocket)},server=on,wait=off`,
    '-pidfile', input.pidFile,
    '-daemonize',
  ];
  if (input.shares.length > 0) {
    // vhost-user needs guest RAM the virtiofsd process can map.
    args.push('-object', `memory-backend-memfd,id=mem,size=${input.memoryMiB}M,share=on`, '-numa', 'node,memdev=mem');
    input.shares.forEach((share, i) => {
      args.push('-chardev', `socket,id=fs${i},path=${e(share.socket)}`);
      args.push('-device', `vhost-user-fs-pci,chardev=fs${i},tag=${share.tag}${share.queueSize ? `,queue-size=${share.queueSize}` : ''}`);
    });
  }
  for (const [i, share] of (input.shares9p ?? []).entries()) {
    args.push('-virtfs', `local,path=${e(share.path)},mount_tag=${share.tag},security_model=${NINEP_SECURITY_MODEL},id=p9fs${i}`);
  }
  return args;
}
