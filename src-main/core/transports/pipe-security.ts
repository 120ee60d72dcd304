import type net from 'node:net';
import { UserError } from '../errors.js';
import { runCommand } from '../vm/process-util.js';

/**
 * Owner-only access for Wharf's named pipes on Windows. Node's net server
 * creates pipes with the default descriptor (full control for SYSTEM,
 * Administrators and the creator; read for Everyone and Anonymous) and has no
 * way to pass another one. So, as Docker Desktop and others do with
 * `Set-Acl`, the pipe's DACL is replaced right after it is created, read back,
 * and checked; until that check passes the server drops every client, and if
 * it fails the server is closed with the reason.
 */

export interface Ace {
  type: string;
  flags: string;
  rights: string;
  sid: string;
}

export interface ParsedSddl {
  owner?: string;
  group?: string;
  /** Undefined when the descriptor has no DACL at all (everyone may do anything). */
  dacl?: { flags: string; aces: Ace[] };
}

/** The descriptor Wharf sets: owned by the user, protected (nothing inherited), one full-access ACE for the user. */
export function ownerOnlySddl(sid: string): string {
  return `O:${sid}D:P(A;;FA;;;${sid})`;
}

/** Splits an SDDL string into owner, group and DACL (the SACL is not ours to check). */
export function parseSddl(sddl: string): ParsedSddl {
  const out: ParsedSddl = {};
  const parts = sddl.trim().split(/(?=[OGDS]:)/);
  for (const part of parts) {
    const tag = part[0];
    const body = part.slice(2);
    if (tag === 'O') out.owner = body;
    else if (tag === 'G') out.group = body;
    else if (tag === 'D') {
      const flags = /^[^()]*/.exec(body)![0];
      const aces = [...body.matchAll(/\(([^)]*)\)/g)].map((m) => {
        const [type = '', aceFlags = '', rights = '', , , sid = ''] = m[1]!.split(';');
        return { type, flags: aceFlags, rights, sid };
      });
      out.dacl = { flags, aces };
    }
  }
  return out;
}

/**
 * What is wrong with a pipe's descriptor for an owner-only pipe, in words;
 * empty when only `sid` is allowed in. SDDL names other principals by alias
 * (WD Everyone, AN Anonymous, AU Authenticated Users, BU Users, BA
 * Administrators, SY SYSTEM, CO Creator Owner) or by SID.
 */
export function ownerOnlyProblems(sddl: string, sid: string): string[] {
  const parsed = parseSddl(sddl);
  const problems: string[] = [];
  if (parsed.owner !== undefined && parsed.owner !== sid && parsed.owner !== 'OW') problems.push(`the pipe is owned by ${parsed.owner}, not by you (${sid})`);
  if (!parsed.dacl) return [...problems, 'the pipe has no access list, so anyone may connect'];
  if (parsed.dacl.flags.includes('NO_ACCESS_CONTROL')) problems.push('the pipe has a null access list, so anyone may connect');
  if (!parsed.dacl.flags.includes('P')) problems.push('the access list is not protected, so inherited entries could widen it');
  for (const ace of parsed.dacl.aces) {
    const allows = ace.type === 'A' || ace.type === 'OA' || ace.type === 'XA' || ace.type === 'ZA';
    if (allows && ace.sid !== sid && ace.sid !== 'OW') problems.push(`${describeSid(ace.sid)} is allowed in (${ace.rights})`);
  }
  if (!parsed.dacl.aces.some((a) => a.type === 'A' && (a.sid === sid || a.sid === 'OW'))) problems.push('you yourself are not allowed in');
  return problems;
}

const ALIASES: Record<string, string> = {
  WD: 'Everyone', AN: 'Anonymous', AU: 'Authenticated Users', BU: 'Users', BA: 'Administrators',
  SY: 'SYSTEM', CO: 'Creator Owner', IU: 'Interactive users', NU: 'Network users', LS: 'Local Service', NS: 'Network Service',
};

function describeSid(sid: string): string {
  return ALIASES[sid] ? `${ALIASES[sid]} (${sid})` : sid;
}

/**
 * Windows PowerShell 5.1 (present on every supported Windows): replaces the
 * pipe's descriptor with the owner-only one and prints the SID and the
 * descriptor read back. Directory.{Get,Set}AccessControl reach a pipe by its
 * path through SetNamedSecurityInfo, as `Get-Acl \\.\pipe\name` does.
 */
export function securePipeScript(pipePath: string): string {
  const literal = `'${pipePath.replace(/'/g, "''")}'`;
  return [
    "$ErrorActionPreference = 'Stop'",
    '$sid = [System.Security.Principal.WindowsIdentity]::GetCurrent().User.Value',
    '$sec = New-Object System.Security.AccessControl.DirectorySecurity',
    `$sec.SetSecurityDescriptorSddlForm("O:$($sid)D:P(A;;FA;;;$($sid))")`,
    `[System.IO.Directory]::SetAccessControl(${literal}, $sec)`,
    `$back = [System.IO.Directory]::GetAccessControl(${literal}).GetSecurityDescriptorSddlForm('Owner, Access')`,
    '"SID=$sid"',
    '"SDDL=$back"',
  ].join('; ');
}

export function parseSecureOutput(stdout: string): { sid: string; sddl: string } | undefined {
  const sid = /^SID=(S-1-[\d-]+)\s*$/m.exec(stdout)?.[1];
  const sddl = /^SDDL=(.+?)\s*$/m.exec(stdout)?.[1];
  return sid && sddl ? { sid, sddl } : undefined;
}

export type PowerShell = (script: string) => Promise<{ code: number | null; stdout: string; stderr: string }>;

const windowsPowerShell: PowerShell = (script) =>
  runCommand('powershell.exe', ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', script], { timeoutMs: 30_000 });

/** Sets the owner-only descriptor on a pipe this process just created and proves it; throws with the reason otherwise. */
export async function securePipe(pipePath: string, run: PowerShell = windowsPowerShell): Promise<void> {
  const res = await run(securePipeScript(pipePath));
  const parsed = res.code === 0 ? parseSecureOutput(res.stdout) : undefined;
  if (!parsed) throw new Error(`could not set the access list of ${pipePath}: ${(res.stderr || res.stdout).trim().split('\n').slice(-2).join(' ') || `exit code ${res.code}`}`);
  const problems = ownerOnlyProblems(parsed.sddl, parsed.sid);
  if (problems.length > 0) throw new Error(`${pipePath} is not private after setting its access list: ${problems.join('; ')} (read back: ${parsed.sddl})`);
}

/** For a server that just created `pipePath`: make it owner-only, or close it and say why. */
export async function securePipeOrClose(server: net.Server, pipePath: string, run?: PowerShell): Promise<void> {
  try {
    await securePipe(pipePath, run);
  } catch (err) {
    await new Promise<void>((r) => server.close(() => r()));
    throw new UserError(`Wharf will not serve ${pipePath}: ${(err as Error).message}. Other users could reach the engine through it. Check that Windows PowerShell (powershell.exe) runs for your user, then start again.`, 'pipe-not-private');
  }
}
