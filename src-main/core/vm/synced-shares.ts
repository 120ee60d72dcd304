import path from 'node:path';
import type { SyncedShareStatus } from '../contract/types.js';
import type { HostPathMapper, MapResult } from '../proxy/bind-paths.js';
import type { ConsoleSignal } from './milestones.js';

/**
 * Synchronized folders, the host half (the guest half is
 * vm-assets/guest/root/usr/lib/wharf/share-sync). Every backend that runs the
 * Wharf guest image gets them: the guest reads "<id> <path it sees>" lines
 * from the config tar, keeps a copy of each on its data disk, and reports on
 * the console. Here: the ids, the guest path of a copy, the state the guest
 * last reported, and the bind-path mapping that sends containers to the copy.
 */

/** Where the guest keeps the copies (on the data disk, so they survive a restart). */
export const GUEST_SYNC_ROOT = '/var/lib/wharf/sync';

export interface GuestSync {
  id: string;
  /** The host folder, as the user wrote it in syncedShares. */
  hostPath: string;
  /** The same folder as the guest sees it through file sharing. */
  guestPath: string;
}

/** Ids follow the settings order, like share tags; `toGuest` maps a non-POSIX host path (C:\src → /mnt/c/src). */
export function guestSyncs(synced: readonly string[], toGuest?: HostPathMapper): GuestSync[] {
  return synced.map((hostPath, i) => {
    let guestPath = hostPath;
    if (!hostPath.startsWith('/')) {
      const r = toGuest?.(hostPath);
      if (!r?.ok) throw new Error(`synced folder ${hostPath}: ${r ? r.reason : 'this backend cannot map it into the VM'}`);
      guestPath = r.path;
    }
    return { id: `sync${i}`, hostPath, guestPath };
  });
}

/** The state of each synced folder, from the guest's WHARF-SYNC console lines. */
export class SyncTracker {
  private syncs: GuestSync[] = [];
  private states = new Map<string, SyncedShareStatus>();

  /** A new boot: every folder waits for the guest's first word on it (a reattach starts from 'ready'). */
  reset(syncs: GuestSync[], initial: 'waiting' | 'ready' = 'waiting'): void {
    this.syncs = syncs;
    this.states = new Map(syncs.map((s) => [s.id, { path: s.hostPath, state: initial }]));
  }

  /** Returns true when the signal changed a folder's state. */
  onSignal(signal: ConsoleSignal | undefined): boolean {
    if (signal?.kind !== 'sync') return false;
    const sync = this.syncs.find((s) => s.id === signal.id);
    if (!sync) return false;
    if (signal.state === 'lagging') {
      // The copy is still usable; the last run's failure is what the user should know.
      const was = this.states.get(sync.id);
      this.states.set(sync.id, { ...(was ?? { path: sync.hostPath }), state: 'ready', reason: `the last sync failed and waits for the next change: ${signal.reason ?? 'unison failed'}` });
      return true;
    }
    this.states.set(sync.id, { path: sync.hostPath, state: signal.state, files: signal.files, seconds: signal.seconds, reason: signal.reason });
    return true;
  }

  list(): SyncedShareStatus[] {
    return this.syncs.map((s) => this.states.get(s.id) ?? { path: s.hostPath, state: 'waiting' });
  }

  get active(): readonly GuestSync[] {
    return this.syncs;
  }

  /**
   * Host path → the copy on the guest's disk, for bind mounts at or under a
   * synced folder; anything else goes to `inner` (the backend's own mapping)
   * or is left as it is.
   */
  mapper(inner?: HostPathMapper): HostPathMapper | undefined {
    if (this.syncs.length === 0) return inner;
    return (source: string): MapResult => {
      // `-v /src/app/:/w` and `-v /src//app:/w` name the same folder as /src/app.
      const hostPath = source.startsWith('/') ? path.posix.normalize(source).replace(/(.)\/+$/, '$1') : source;
      const sync = this.syncs.find((s) => hostPath === s.hostPath || hostPath.startsWith(`${s.hostPath}/`));
      if (!sync) return source.startsWith('/') || !inner ? { ok: true, path: source } : inner(source);
      const state = this.states.get(sync.id);
      if (state?.state !== 'ready') {
        return {
          ok: false,
          reason: state?.state === 'error'
            ? `its synchronized copy in the VM failed (${state.reason ?? 'unison stopped'}); see \`wharf logs\`, or remove it from syncedShares to mount the folder live`
            : `its synchronized copy is still being made in the VM (${state?.state ?? 'waiting'}); try again when \`wharf status\` shows it ready`,
        };
      }
      return { ok: true, path: `${GUEST_SYNC_ROOT}/${sync.id}${hostPath.slice(sync.hostPath.length)}` };
    };
  }
}
