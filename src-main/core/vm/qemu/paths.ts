import path from 'node:path';
import type { WharfPaths } from '../../paths.js';

/** The files only the QEMU backend uses, next to the generic ones. */
export interface QemuPaths extends WharfPaths {
  qmpSocket: string;
  shellSocket: string;
  pidFile: string;
  /** The engine's data: a raw disk image only this backend mounts. */
  dataDisk: string;
}

export function qemuPaths(paths: WharfPaths): QemuPaths {
  return {
    ...paths,
    qmpSocket: path.join(paths.run, 'qmp.sock'),
    shellSocket: path.join(paths.run, 'shell.sock'),
    pidFile: path.join(paths.run, 'qemu.pid'),
    dataDisk: path.join(paths.disks, 'data.img'),
  };
}
