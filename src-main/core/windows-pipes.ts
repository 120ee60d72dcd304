import { createHash } from 'node:crypto';
import os from 'node:os';

/**
 * Windows named pipes live in one namespace for the whole machine, so a
 * fixed name (\\.\pipe\wharf_engine) would be shared by every user and could
 * be taken first by any of them. Each user and each WHARF_HOME gets its own
 * names instead: the user name, readable, plus a hash of user and home.
 * (Squatting is refused anyway: the server is created as the first instance,
 * and its access list is checked after it is created; see pipe-security.ts.)
 */
export type PipeKind = 'engine' | 'engine-core' | 'control';

export function windowsPipeName(kind: PipeKind, home: string, user: string = os.userInfo().username): string {
  const readable = user.toLowerCase().replace(/[^a-z0-9_.-]/g, '_').slice(0, 32) || 'user';
  // Windows paths are case-insensitive: C:\Users\A and c:\users\a are one home.
  const id = createHash('sha256').update(`${user.toLowerCase()}\0${home.toLowerCase()}`).digest('hex').slice(0, 12);
  return `\\\\.\\pipe\\wharf-${readable}-${id}-${kind}`;
}
