import { parseCommand, CliUsageError, USAGE } from './args.js';
import { wharfPaths } from '../core/paths.js';
import { WHARF_VERSION } from '../core/version.js';
import { ensureCore, tryConnect, typedClient } from './connect.js';
import { start, stop, restart, printStarted } from './commands/lifecycle.js';
import { formatStatus, savedBackend, stoppedStatus } from './commands/status.js';
import { logs } from './commands/logs.js';
import { shell } from './commands/shell.js';
import { dashboard } from './commands/dashboard.js';
import { settingsCommand } from './commands/settings.js';
import { contextCommand } from './commands/context.js';
import { runHeadlessCore } from './daemon.js';
import { tailFile } from '../core/util/tail-file.js';

/** Exit codes: 0 ok, 1 failure, 2 bad usage or bad input. */
async function main(argv: string[]): Promise<number> {
  const cmd = parseCommand(argv);
  const paths = wharfPaths();
  const out = process.stdout;
  switch (cmd.name) {
    case 'help':
      out.write(USAGE);
      return 0;
    case 'version':
      out.write(`wharf ${WHARF_VERSION}\n`);
      return 0;
    case '__core':
      await runHeadlessCore();
      return -1;
    case 'status': {
      // Asking a core (a headless one when no app runs) also reports its notices.
      const conn = await ensureCore(paths).catch(() => undefined);
      const status = conn ? await typedClient(conn).engine.status() : stoppedStatus(paths, WHARF_VERSION, savedBackend(paths) ?? 'qemu');
      conn?.close();
      out.write(cmd.json ? JSON.stringify(status, null, 2) + '\n' : formatStatus(status, paths) + '\n');
      return 0;
    }
    case 'stop': {
      const conn = await tryConnect(paths);
      if (!conn) {
        out.write('Wharf is not running.\n');
        return 0;
      }
      await stop(conn);
      conn.close();
      out.write('Wharf stopped.\n');
      return 0;
    }
    case 'logs': {
      const conn = await tryConnect(paths);
      if (!conn) {
        process.stderr.write(`Wharf is not running; the last VM console (${paths.consoleLog}):\n`);
        for (const line of await tailFile(paths.consoleLog, cmd.lines)) out.write(line + '\n');
        return 0;
      }
      await logs(conn, cmd, out);
      conn.close();
      return 0;
    }
    case 'dashboard':
      // Revoking needs only the running dashboard, never a core.
      if (cmd.revoke) {
        await dashboard(paths, cmd);
        return 0;
      }
      break;
    default:
      break;
  }
  const conn = await ensureCore(paths);
  try {
    switch (cmd.name) {
      case 'start':
        out.write(printStarted(await start(conn, cmd, process.stderr), paths) + '\n');
        return 0;
      case 'restart':
        out.write(printStarted(await restart(conn, process.stderr), paths) + '\n');
        return 0;
      case 'shell':
        return await shell(conn, cmd.command);
      case 'dashboard':
        await dashboard(paths, cmd);
        return 0;
      case 'set':
      case 'get':
      case 'diagnose':
      case 'reset':
        return await settingsCommand(conn, cmd, out);
      case 'context':
        return await contextCommand(conn, cmd, out);
      default:
        return 0;
    }
  } finally {
    conn.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => { if (code >= 0) process.exit(code); },
  (err: Error) => {
    const usage = err instanceof CliUsageError || ['UserError', 'CliUsageError'].includes(err.name);
    process.stderr.write(`wharf: ${err.message}\n`);
    process.exit(usage ? 2 : 1);
  },
);
