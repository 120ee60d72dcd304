import type { ControlClient } from '../../core/transports/control-client.js';
import { typedClient } from '../connect.js';

/**
 * `wharf shell`: interactive when stdin is a terminal; with -c it runs one
 * command, prints its output and exits with its status (handy in scripts).
 */
export async function shell(conn: ControlClient, command: string | undefined): Promise<number> {
  const api = typedClient(conn);
  const { streamId } = await api.vm.shell();
  if (command !== undefined) return runOne(conn, api, streamId, command);
  const stdin = process.stdin;
  if (stdin.isTTY) stdin.setRawMode(true);
  process.stderr.write('Connected to the Wharf VM. Type `exit` or press Ctrl-] to leave.\r\n');
  return new Promise<number>((resolve) => {
    const finish = (code: number) => {
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      void api.streams.close(streamId).catch(() => undefined);
      resolve(code);
    };
    conn.listen((e) => {
      const p = e.payload as { streamId?: string; data?: string };
      if (p.streamId !== streamId) return;
      if (e.name === 'stream.data') process.stdout.write(p.data ?? '');
      if (e.name === 'stream.end') finish(0);
    });
    stdin.on('data', (d: Buffer) => {
      if (d.includes(0x1d)) return finish(0);
      void api.streams.write(streamId, d.toString('utf8'));
    });
    stdin.on('end', () => setTimeout(() => finish(0), 500));
    if (process.stdout.isTTY) void api.streams.resize(streamId, process.stdout.columns, process.stdout.rows).catch(() => undefined);
  });
}

/** Below busybox ash's 1,024-byte line editor and the tty's 4,095-byte canonical line. */
const SAFE_LINE_BYTES = 900;

/**
 * How one command reaches the VM's interactive shell. A multi-line script, a heredoc
 * or a command longer than the line editor keeps cannot be typed as is: continuation
 * prompts interleave, busybox's editor cuts long lines and drops what was typed
 * ahead while it reads a line. So one short line is typed first: it turns echo off,
 * says it is ready, and reads the command as base64 lines up to a lone ".", then
 * runs it between a begin and an end marker. The markers are typed split by quotes
 * ('B'), so the echo of the typed line (even wrapped) never contains them whole.
 * The command runs in a subshell: a syntax error in it would otherwise abort the
 * interactive shell's whole line, end marker included.
 */
export function shellFraming(command: string, marker: string): { first: string; payload: string[]; ready: string; begin: string; end: RegExp } {
  const encoded = Buffer.from(command, 'utf8').toString('base64');
  const payload: string[] = [];
  for (let i = 0; i < encoded.length; i += SAFE_LINE_BYTES) payload.push(encoded.slice(i, i + SAFE_LINE_BYTES));
  payload.push('.');
  const first = `stty -echo 2>/dev/null; echo ${marker}'R'; __wharf_c=; while IFS= read -r __wharf_l && [ "$__wharf_l" != . ]; do __wharf_c=$__wharf_c$__wharf_l; done; `
    + `echo ${marker}'B'; (eval "$(echo "$__wharf_c" | base64 -d)"); __wharf_s=$?; unset __wharf_c __wharf_l; echo ${marker}'E'$__wharf_s`;
  return { first, payload, ready: `${marker}R\n`, begin: `${marker}B\n`, end: new RegExp(`${marker}E(\\d+)\\n`) };
}

/** How long the VM's shell has to answer the first line. WHARF_SHELL_ANSWER_MS shortens it for a test. */
function shellAnswerTimeoutMs(): number {
  const v = Number(process.env.WHARF_SHELL_ANSWER_MS);
  return Number.isInteger(v) && v > 0 ? v : 60_000;
}

async function runOne(conn: ControlClient, api: ReturnType<typeof typedClient>, streamId: string, command: string): Promise<number> {
  const framing = shellFraming(command, `__WHARF_DONE_${Math.random().toString(36).slice(2)}__`);
  let buffer = '';
  let sent = false;
  return new Promise<number>((resolve) => {
    const answerMs = shellAnswerTimeoutMs();
    const timer = setTimeout(() => { process.stderr.write(`wharf shell: no answer from the VM within ${answerMs / 1000} s\n`); resolve(1); }, answerMs);
    conn.listen((e) => {
      const p = e.payload as { streamId?: string; data?: string };
      if (p.streamId !== streamId) return;
      if (e.name === 'stream.end') {
        clearTimeout(timer);
        process.stderr.write('wharf shell: the VM\'s shell closed before the command finished\n');
        resolve(1);
        return;
      }
      if (e.name !== 'stream.data') return;
      buffer += (p.data ?? '').replace(/\r/g, '');
      if (!sent && buffer.includes(framing.ready)) {
        // The VM has answered; the command itself may run as long as it needs (like ssh host cmd).
        sent = true;
        clearTimeout(timer);
        void api.streams.write(streamId, framing.payload.join('\n') + '\n');
      }
      const begin = buffer.indexOf(framing.begin);
      const end = begin >= 0 ? framing.end.exec(buffer.slice(begin)) : null;
      if (begin >= 0 && end) {
        process.stdout.write(buffer.slice(begin + framing.begin.length, begin + end.index));
        void api.streams.close(streamId).catch(() => undefined);
        resolve(Number(end[1]));
      }
    });
    void api.streams.write(streamId, `${framing.first}\n`);
  });
}
