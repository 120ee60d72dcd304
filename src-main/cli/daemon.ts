import { existsSync } from 'node:fs';
import { createCore } from '../core/core.js';
import { ControlSocketServer } from '../core/transports/control-socket.js';
import { wharfPaths } from '../core/paths.js';
import { errorMessage } from '../core/errors.js';
import { monotonicMs } from '../core/util/clock.js';
import { ensurePrivateDir } from '../core/util/private-dir.js';
import { acquireCoreLock, describeHolder } from '../core/util/core-lock.js';

/**
 * The headless core (`wharf __core`): what the desktop app runs in its main
 * process, run without Electron. It leaves when the engine is stopped and no
 * client is connected any more, so `wharf stop` leaves nothing behind.
 */
export async function runHeadlessCore(): Promise<void> {
  const paths = wharfPaths();
  await ensurePrivateDir(paths.home, { followSymlink: true });
  await ensurePrivateDir(paths.run);
  // Held for this core's whole life, busy or not; the kernel frees it when we die.
  const lock = await acquireCoreLock(paths.run);
  if (!lock.held) {
    console.error(`[core] ${describeHolder(lock.holder, paths.home)}; exiting. Clients reach it through ${paths.controlSocket}.`);
    return;
  }
  // A peer hanging up mid-write is routine for a socket server; log it and keep
  // serving. Anything else is a bug and still ends the process.
  process.on('uncaughtException', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ECONNRESET' || err.code === 'ERR_STREAM_DESTROYED') {
      console.error(`[core] ignored a socket error from a peer that went away: ${err.message}`);
      return;
    }
    console.error(err);
    process.exit(1);
  });
  const core = await createCore({ home: paths.home });
  // Reattach before serving: a client that connects as soon as the socket appears (the CLI
  // polls for it every 25 ms) must see the VM a killed core left running, not "stopped".
  try {
    if (await core.engine.reattach()) console.error('[core] reattached to a running VM');
  } catch (err) {
    console.error(`[core] reattach failed: ${errorMessage(err)}`);
  }
  const server = new ControlSocketServer(paths.controlSocket, core);
  await server.listen();
  console.error(`[core] listening on ${paths.controlSocket} (pid ${process.pid})`);
  let exiting = false;
  const exit = async (stopVm: boolean) => {
    if (exiting) return;
    exiting = true;
    clearInterval(idle);
    try {
      if (stopVm) await core.engine.stop();
    } catch (err) {
      console.error(`[core] stop failed: ${errorMessage(err)}`);
    }
    await server.close();
    await core.shutdown();
    await lock.release();
    process.exit(0);
  };
  let idleSince = monotonicMs();
  const idle = setInterval(() => {
    // Someone removed this WHARF_HOME (a test teardown, a manual rm): nothing left to serve.
    if (!existsSync(paths.controlSocket)) { void exit(true); return; }
    // A VM Resource Saver stopped is still served: its socket must stay to wake it.
    const stopped = (core.engine.vmState.state === 'stopped' || core.engine.vmState.state === 'error') && !core.engine.sleeping;
    if (!stopped || server.clientCount > 0) { idleSince = monotonicMs(); return; }
    if (monotonicMs() - idleSince > 1500) void exit(false);
  }, 250);
  process.on('SIGTERM', () => void exit(true));
  process.on('SIGINT', () => void exit(true));
}
