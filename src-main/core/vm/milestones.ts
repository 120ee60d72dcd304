import type { BootProgress } from '../contract/types.js';
import { monotonicMs } from '../util/clock.js';

/** The guest prints `WHARF-MILESTONE <name>` in this order (see vm-assets/README.md). */
export const BOOT_MILESTONES = ['kernel', 'init', 'root', 'network', 'data-disk', 'containerd', 'dockerd', 'ready'] as const;
export type Milestone = (typeof BOOT_MILESTONES)[number];

export type ConsoleSignal =
  | { kind: 'milestone'; name: Milestone }
  | { kind: 'error'; what: string; reason: string }
  | { kind: 'daemon-json-rejected'; reason: string }
  /** The guest's watch service: the data disk is (nearly) full, or has room again. */
  | { kind: 'disk'; full: boolean; availBytes: number; sizeBytes: number }
  /** share-sync: a synchronized folder's first copy started, finished, or failed. */
  | { kind: 'sync'; id: string; state: 'copying' | 'ready' | 'error' | 'lagging'; seconds?: number; files?: number; reason?: string }
  | { kind: 'kernel' };

/** Recognises what the host cares about in one console line. */
export function parseConsoleLine(line: string): ConsoleSignal | undefined {
  const m = /WHARF-MILESTONE (\S+)/.exec(line);
  if (m) {
    const name = m[1] as Milestone;
    return BOOT_MILESTONES.includes(name) ? { kind: 'milestone', name } : undefined;
  }
  const e = /WHARF-ERROR (\S+) ?(.*)$/.exec(line);
  if (e) return { kind: 'error', what: e[1]!, reason: e[2]!.trim() };
  const d = /WHARF-DAEMONJSON-REJECTED ?(.*)$/.exec(line);
  if (d) return { kind: 'daemon-json-rejected', reason: d[1]!.trim() };
  const k = /WHARF-DISK (full|ok) (\d+) (\d+)/.exec(line);
  if (k) return { kind: 'disk', full: k[1] === 'full', availBytes: Number(k[2]) * 1024, sizeBytes: Number(k[3]) * 1024 };
  const y = /WHARF-SYNC (sync\d+) (copying|ready|error|lagging) ?(.*)$/.exec(line);
  if (y) {
    const id = y[1]!;
    const rest = y[3]!.trim();
    if (y[2] === 'copying') return { kind: 'sync', id, state: 'copying' };
    if (y[2] === 'error' || y[2] === 'lagging') return { kind: 'sync', id, state: y[2], reason: rest || 'unison failed' };
    const [seconds, files] = rest.split(' ').map(Number);
    return { kind: 'sync', id, state: 'ready', seconds: Number.isFinite(seconds) ? seconds : undefined, files: Number.isFinite(files) ? files : undefined };
  }
  if (/^\[\s*\d+\.\d+\]/.test(line) || /Linux version/.test(line)) return { kind: 'kernel' };
  return undefined;
}

export function progressFor(milestone: Milestone, startedAt: number, now = monotonicMs()): BootProgress {
  const index = BOOT_MILESTONES.indexOf(milestone);
  return {
    milestone,
    fraction: (index + 1) / BOOT_MILESTONES.length,
    elapsedSeconds: Math.round((now - startedAt) / 100) / 10,
  };
}
