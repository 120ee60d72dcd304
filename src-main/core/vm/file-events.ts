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
/** inotify watches per root at most (one per folder; the host's max_user_watches is shared). */
const MAX_DIRS_PER_ROOT = 20_000;

/**
 * One folder tree, one inotify watch per folder (not per file, as Node's
 * recursive fs.watch does on Linux: a node_modules tree would take 100,000
 * watches). A folder's watch reports changes to the files in it by name.
 */
class TreeWatcher {
  private dirs = new Map<string, fs.FSWatcher>();
  private warned = false;

  constructor(private readonly root: string, private readonly onChange: (file: string) => void, private readonly log: (line: string) => void) {}

  start(): void {
    this.add(this.root);
  }

  private add(dir: string): void {
    const stack = [dir];
    while (stack.length > 0) {
      const d = stack.pop()!;
      if (this.dirs.has(d)) continue;
      if (this.dirs.size >= MAX_DIRS_PER_ROOT) {
        if (!this.warned) this.log(`[file-events] ${this.root}: more than ${MAX_DIRS_PER_ROOT} folders; changes deeper than that are not replayed`);
        this.warned = true;
        return;
      }
      let w: fs.FSWatcher;
      try {
        w = fs.watch(d, { persistent: false }, (event, name) => {
          if (!name) return;
          const file = path.join(d, name.toString());
          if (SKIP.has(name.toString())) return;
          // A new folder: watch it (and what was made inside it before the watch).
          if (event === 'rename' && !this.dirs.has(file)) {
            try { if (fs.lstatSync(file).isDirectory()) this.add(file); } catch {}
          }
          this.onChange(file);
        });
      } catch {
        continue;
      }
      w.on('error', () => { w.close(); this.dirs.delete(d); });
      this.dirs.set(d, w);
      let entries: fs.Dirent[] = [];
      try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch {}
      for (const e of entries) if (e.isDirectory() && !SKIP.has(e.name)) stack.push(path.join(d, e.name));
    }
  }

  close(): void {
    for (const w of this.dirs.values()) w.close();
    this.dirs.clear();
  }
}

/**
 * Watches host folders and forwards each changed file once per distinct
 * (mtime, size, mode, inode). That key also stops the feedback loop: the
 * guest's chmod reaches the host as an attribute change with the same key.
 */
export class HostFileWatcher {
  private watchers = new Map<string, TreeWatcher>();
  private seen = new Map<string, string>();
  private pending = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly sink: FileEventSink, private readonly log: (line: string) => void = () => undefined, private readonly debounceMs = 20) {}

  /** Watches exactly these roots (with their subfolders); stops watching the others. */
  setRoots(roots: string[]): void {
    for (const [root, w] of this.watchers) {
      if (!roots.includes(root)) { w.close(); this.watchers.delete(root); }
    }
    for (const root of roots) {
      if (this.watchers.has(root)) continue;
      const w = new TreeWatcher(root, (file) => {
        this.pending.add(file);
        this.timer ??= setTimeout(() => this.flush(), this.debounceMs);
      }, this.log);
      w.start();
      this.watchers.set(root, w);
      this.log(`[file-events] watching ${root}`);
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
