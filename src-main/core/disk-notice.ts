import type { ConsoleSignal } from './vm/milestones.js';

type DiskSignal = Extract<ConsoleSignal, { kind: 'disk' }>;

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** The notice for a full data disk, or undefined once it has room again. */
export function diskNotice(signal: DiskSignal): string | undefined {
  if (!signal.full) return undefined;
  const free = Math.round(signal.availBytes / MiB);
  const size = Math.round((signal.sizeBytes / GiB) * 10) / 10;
  return `The VM's data disk is full (${free} MiB free of ${size} GiB). Containers cannot write and images cannot be pulled. Free space with \`docker system prune\` (add --volumes to drop unused volumes too), or give the VM a bigger disk in Settings.`;
}
