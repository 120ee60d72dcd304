import { parseArgs } from 'node:util';

export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

export type Command =
  | { name: 'start'; cpus?: number; memory?: number; disk?: number }
  | { name: 'stop' }
  | { name: 'restart' }
  | { name: 'status'; json: boolean }
  | { name: 'logs'; follow: boolean; lines: number }
  | { name: 'shell'; command?: string }
  | { name: 'dashboard'; port?: number; open: boolean; revoke?: boolean }
  | { name: 'set'; assignments: string[]; hostWide: boolean }
  | { name: 'get'; key?: string; json: boolean }
  | { name: 'diagnose' }
  | { name: 'reset'; yes: boolean }
  | { name: 'help'; topic?: string }
  | { name: 'version' }
  | { name: 'context'; action: 'ls' | 'use' | 'check'; context?: string; json: boolean }
  | { name: '__core' };

export const USAGE = `Usage: wharf <command> [options]

Commands:
  start [--cpus N] [--memory MiB] [--disk GiB]   Boot the VM and the docker engine
  stop                                          Stop the engine and the VM
  restart                                       Stop, then start
  status [--json]                               State, accelerator, versions, socket path
  logs [--follow] [--lines N]                   VM console and engine log
  shell [-c COMMAND]                            A root shell in the VM
  dashboard [--port N] [--no-open]              Serve the dashboard on 127.0.0.1 and print its URL
  dashboard --revoke                            End every dashboard session and unused link
  set key=value...                              Change settings (validated; applied on restart)
  set cpus=N memory=M swap=S --host-wide        Also write them to the backend's host-wide file (WSL 2:
                                                .wslconfig, shared by every distro; a backup is kept)
  get [key] [--json]                            Show settings
  diagnose                                      Collect a diagnostics archive (secrets left out)
  reset --yes                                   Factory reset: VM, disk, certificates, settings, context
  context [ls] [--json]                         Docker contexts; * marks the engine Wharf's views show
  context use NAME | check NAME                 Show NAME's engine in the UI (wharf = the VM) | test it
  version                                       Print the version
`;

function int(flag: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) throw new CliUsageError(`--${flag} needs a whole number, got '${raw}'.`);
  const n = Number(raw);
  if (n < min) throw new CliUsageError(`--${flag} must be at least ${min}, got ${n}.`);
  return n;
}

function parse<T extends Record<string, { type: 'string' | 'boolean'; short?: string }>>(argv: string[], options: T, allowPositionals = false) {
  // `--cpus -1` would read as a missing value; join it so the range check can explain.
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (a.startsWith('--') && options[a.slice(2)]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${a}=${next}`);
      i++;
    } else joined.push(a);
  }
  try {
    return parseArgs({ args: joined, options, strict: true, allowPositionals });
  } catch (err) {
    const msg = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new CliUsageError(`${msg}. Run \`wharf help\` for the options.`);
  }
}

/** Turns argv (after `wharf`) into a command, or throws a CliUsageError saying what to do. */
export function parseCommand(argv: string[]): Command {
  const [name, ...rest] = argv;
  switch (name) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { name: 'help', topic: rest[0] };
    case 'version':
    case '--version':
      return { name: 'version' };
    case 'start': {
      const { values } = parse(rest, { cpus: { type: 'string' }, memory: { type: 'string' }, disk: { type: 'string' } });
      return { name: 'start', cpus: int('cpus', values.cpus, 1), memory: int('memory', values.memory, 1), disk: int('disk', values.disk, 1) };
    }
    case 'stop':
    case 'restart':
    case 'diagnose':
      parse(rest, {});
      return { name };
    case '__core':
      return { name: '__core' };
    case 'status': {
      const { values } = parse(rest, { json: { type: 'boolean' } });
      return { name: 'status', json: values.json ?? false };
    }
    case 'logs': {
      const { values } = parse(rest, { follow: { type: 'boolean', short: 'f' }, lines: { type: 'string', short: 'n' } });
      return { name: 'logs', follow: values.follow ?? false, lines: int('lines', values.lines, 1) ?? 200 };
    }
    case 'shell': {
      const { values } = parse(rest, { command: { type: 'string', short: 'c' } });
      return { name: 'shell', command: values.command };
    }
    case 'dashboard': {
      const { values } = parse(rest, { port: { type: 'string' }, 'no-open': { type: 'boolean' }, 'print-url': { type: 'boolean' }, revoke: { type: 'boolean' } });
      if (values.revoke) {
        if (values.port !== undefined || values['no-open'] || values['print-url']) throw new CliUsageError('--revoke takes no other options: run `wharf dashboard --revoke` alone.');
        return { name: 'dashboard', open: false, revoke: true };
      }
      const port = int('port', values.port, 1);
      if (port !== undefined && port > 65535) throw new CliUsageError(`--port must be at most 65535, got ${port}.`);
      return { name: 'dashboard', port, open: !(values['no-open'] ?? false) && !(values['print-url'] ?? false) };
    }
    case 'set': {
      const { values, positionals } = parse(rest, { 'host-wide': { type: 'boolean' } }, true);
      if (positionals.length === 0) throw new CliUsageError('Nothing to set. Usage: wharf set key=value… (e.g. wharf set cpus=2 memory=4096)');
      return { name: 'set', assignments: positionals, hostWide: values['host-wide'] ?? false };
    }
    case 'get': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' } }, true);
      if (positionals.length > 1) throw new CliUsageError('wharf get takes at most one key.');
      return { name: 'get', key: positionals[0], json: values.json ?? false };
    }
    case 'reset': {
      const { values } = parse(rest, { yes: { type: 'boolean', short: 'y' } });
      return { name: 'reset', yes: values.yes ?? false };
    }
    case 'context': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' } }, true);
      const [action = 'ls', context, extra] = positionals;
      if (action !== 'ls' && action !== 'use' && action !== 'check') throw new CliUsageError(`Unknown context action '${action}'. Use: wharf context [ls] | use NAME | check NAME.`);
      if (action !== 'ls' && !context) throw new CliUsageError(`wharf context ${action} needs a context name (see wharf context ls).`);
      if (extra !== undefined || (action === 'ls' && context !== undefined)) throw new CliUsageError('Too many arguments. Use: wharf context [ls] | use NAME | check NAME.');
      return { name: 'context', action, context, json: values.json ?? false };
    }
    default:
      throw new CliUsageError(`Unknown command '${name}'. Run \`wharf help\` for the list.`);
  }
}
