/**
 * At most `width` connections to the engine may be between connect() and
 * their TLS handshake at any time; the rest wait their turn, in order.
 *
 * Why: QEMU's user network (libslirp) listens for host forwards with a backlog
 * of 1 (`ss -ltn` shows Send-Q 1 on the engine's port). Linux keeps at most
 * backlog + 1 connections waiting for accept() and drops further SYNs, and a
 * client whose SYN was dropped retries after 1, 3, 7, 15, 31, 63 s, or is
 * reset. QEMU's main loop accepts one connection per iteration, slower still
 * when a busy guest holds it, so a burst (50 `docker run` open ~150
 * connections within a second) turned into minute-long stalls and resets
 * (TcpExtListenOverflows counted them), and the health check's own ping timed
 * out in the same queue. A completed TLS handshake proves QEMU accepted the
 * connection, so holding a place until then never overfills its queue.
 */
export class ConnectGate {
  private active = 0;
  private readonly waiting: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];

  constructor(private readonly width: number) {}

  /** Connections waiting for a place now. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Runs `connect` once a place is free. `stillWanted` is asked before queueing
   * and again when the place is granted: an error it returns rejects at once (the client left, or the
   * engine was declared not answering while this one waited), so a queue of
   * stale attempts never delays the next live one.
   */
  async run<T>(connect: () => Promise<T>, stillWanted?: () => Error | undefined): Promise<T> {
    const unwantedNow = stillWanted?.();
    if (unwantedNow) throw unwantedNow;
    if (this.active < this.width) this.active++;
    // Outside the try: a cancelled wait never held a place, so it gives none back.
    else await new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    try {
      const unwanted = stillWanted?.();
      if (unwanted) throw unwanted;
      return await connect();
    } finally {
      // The place passes straight to the next in line, or is given back.
      const next = this.waiting.shift();
      if (next) next.resolve(); else this.active--;
    }
  }

  /** Everyone still waiting gets `err` now (the engine stopped answering: waiting longer helps nobody). */
  cancelWaiting(err: Error): void {
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}
