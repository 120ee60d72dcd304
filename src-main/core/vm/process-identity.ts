import fs from 'node:fs/promises';
import { procStatFields, runCommand } from './process-util.js';

/**
 * Who a pid is: its start time and command line. A pid alone is not an
 * identity: once a process exits the kernel hands its number to the next one,
 * so anything that signals a pid it saved earlier checks this first.
 */
export interface ProcessIdentity {
  pid: number;
  /** Opaque, compared for equality only: clock ticks since boot on Linux, `ps` lstart on macOS, CreationDate on Windows. */
  startTime: string;
  command: string;
}

/** Field 22 of /proc/<pid>/stat. */
export function parseProcStatStartTime(stat: string): string | undefined {
  // procStatFields starts at field 3 (the state); field 22 is its 20th.
  const start = procStatFields(stat)[19];
  return start && /^\d+$/.test(start) ? start : undefined;
}

/** `ps -o lstart=,command= -p <pid>` in the C locale: a fixed 24-character date, then the command line. */
export function parsePsLstart(out: string): { startTime: string; command: string } | undefined {
  const line = out.split('\n').find((l) => l.trim() !== '');
  const m = line && /^\s*([A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4})\s+(.*)$/.exec(line);
  return m ? { startTime: m[1]!, command: m[2]!.trim() } : undefined;
}

/** The two lines the PowerShell query below prints: CreationDate (ISO 8601, UTC), then CommandLine. */
export function parseWindowsProcess(out: string): { startTime: string; command: string } | undefined {
  const [start, ...command] = out.replace(/\r/g, '').split('\n');
  if (!start || !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(start.trim())) return undefined;
  return { startTime: start.trim(), command: command.join('\n').trim() };
}

export async function processIdentity(pid: number, platform: NodeJS.Platform = process.platform): Promise<ProcessIdentity | undefined> {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (platform === 'linux') {
    try {
      const [stat, cmdline] = await Promise.all([fs.readFile(`/proc/${pid}/stat`, 'utf8'), fs.readFile(`/proc/${pid}/cmdline`, 'utf8')]);
      const startTime = parseProcStatStartTime(stat);
      return startTime ? { pid, startTime, command: cmdline.split('\0').filter(Boolean).join(' ') } : undefined;
    } catch {
      return undefined;
    }
  }
  try {
    if (platform === 'win32') {
      const query = `$p = Get-CimInstance Win32_Process -Filter 'ProcessId=${pid}'; if ($p) { $p.CreationDate.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ss.ffffffZ'); $p.CommandLine }`;
      const res = await runCommand('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', query], { timeoutMs: 10_000 });
      const parsed = res.code === 0 ? parseWindowsProcess(res.stdout) : undefined;
      return parsed && { pid, ...parsed };
    }
    const res = await runCommand('ps', ['-ww', '-o', 'lstart=,command=', '-p', String(pid)], { timeoutMs: 5000, env: { ...process.env, LC_ALL: 'C' } });
    const parsed = res.code === 0 ? parsePsLstart(res.stdout) : undefined;
    return parsed && { pid, ...parsed };
  } catch {
    return undefined;
  }
}

/**
 * Sends a signal only if `expected.pid` is still the process that was
 * recorded: same start time, and a command line the caller recognises.
 * Returns whether it was sent. Checked right before the signal, so a pid the
 * kernel gave to an unrelated process is left alone.
 */
export async function signalIfSame(
  expected: Pick<ProcessIdentity, 'pid' | 'startTime'>,
  signal: NodeJS.Signals,
  isExpectedCommand: (command: string) => boolean,
): Promise<boolean> {
  const now = await processIdentity(expected.pid);
  if (!now || now.startTime !== expected.startTime || !isExpectedCommand(now.command)) return false;
  try {
    process.kill(expected.pid, signal);
    return true;
  } catch {
    return false;
  }
}
