import fs from 'node:fs';
import path from 'node:path';

/**
 * virtio-fs (and 9p) deliver no inotify events for changes made on the host:
 * the guest kernel only sees what passes through its own VFS. File watchers in
 * containers (live reload, test watchers) rely on them, so the host watches the
 * bind-mounted folders and replays each change into the guest through a
 * backend's channel. The guest turns a replayed change into a same-mode chmod:
 * an IN_ATTRIB event (what Node's fs.watch, chokidar and inotifyd report as a
 * change) that changes neither content nor mtime.
 */
export interface FileEventSink {
  /** A host file changed: absolute path (also its path in the guest) and its mode bits now. */
  changed(file: string, mode: number): void;
}

/** The folders worth watching: bind sources of running containers that lie inside a shared folder. */
export function watchedRoots(bindSources: string[], shares: string[]): string[] {
  const inside = (p: string, share: string) => p === share || p.startsWith(share.endsWith(path.sep) ? share : share + path.sep);
  const roots = [...new Set(bindSources.map((p) => path.resolve(p)))].filter((p) => shares.some((s) => inside(p, s))).sort();
  // A folder inside another watched one is covered by it.
  return roots.filter((p, i) => !roots.slice(0, i).some((q) => inside(p, q)));
}

/** Folders skipped when watching: version-control internals change on every git command. */
const SKIP = new Set(['.git', '.hg', '.svn']);

/**
 * Watches host folders and forwards each changed file once per distinct
 * (mtime, size, mode, inode). That key also stops the feedback loop: the
 * guest's chmod reaches the host as an attribute change with the same key.
 */
export class HostFileWatcher {
  private watchers = new Map<string, fs.FSWatcher>();
  private seen = new Map<string, string>();
  private pending = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly sink: FileEventSink, private readonly log: (line: string) => void = () => undefined, private readonly debounceMs = 20) {}

  /** Watches exactly these roots (recursive); stops watching the others. */
  setRoots(roots: string[]): void {
    for (const [root, w] of this.watchers) {
      if (!roots.includes(root)) { w.close(); this.watchers.delete(root); }
    }
    for (const root of roots) {
      if (this.watchers.has(root)) continue;
      try {
        const w = fs.watch(root, { recursive: true, persistent: false }, (_event, name) => {
          if (!name) return;
          const rel = name.toString();
          if (rel.split(path.sep).some((part) => SKIP.has(part))) return;
          this.pending.add(path.join(root, rel));
          this.timer ??= setTimeout(() => this.flush(), this.debounceMs);
        });
        w.on('error', (err) => { this.log(`[file-events] stopped watching ${root}: ${err.message}`); w.close(); this.watchers.delete(root); });
        this.watchers.set(root, w);
        this.log(`[file-events] watching ${root}`);
      } catch (err) {
        this.log(`[file-events] cannot watch ${root}: ${(err as Error).message}`);
      }
    }
  }

  get roots(): string[] {
    return [...this.watchers.keys()];
  }

  private flush(): void {
    this.timer = undefined;
    const files = [...this.pending];
    this.pending.clear();
    for (const file of files) {
      let st: fs.Stats;
      try {
        st = fs.lstatSync(file);
      } catch {
        this.seen.delete(file);
        continue;
      }
      if (!st.isFile() && !st.isDirectory()) continue;
      const key = `${st.mtimeMs}:${st.size}:${st.mode}:${st.ino}`;
      if (this.seen.get(file) === key) continue;
      this.seen.set(file, key);
      // Names with a newline cannot travel in the line protocol; nothing else is special.
      if (file.includes('\n')) continue;
      this.sink.changed(file, st.mode & 0o7777);
    }
    if (this.seen.size > 100_000) this.seen.clear();
  }

  close(): void {
    clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}

/** Keeps the watched roots equal to the bind mounts of the running containers (full picture each time, like PortSync). */
export class BindWatchSync {
  private timer?: NodeJS.Timeout;

  constructor(private readonly deps: {
    watcher: HostFileWatcher;
    listBindSources: () => Promise<string[]>;
    shares: () => string[];
    log: (line: string) => void;
  }) {}

  schedule(delayMs = 50): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reconcile(), delayMs);
  }

  async reconcile(): Promise<void> {
    try {
      this.deps.watcher.setRoots(watchedRoots(await this.deps.listBindSources(), this.deps.shares()));
    } catch (err) {
      this.deps.log(`[file-events] ${(err as Error).message}`);
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.deps.watcher.setRoots([]);
  }
}
