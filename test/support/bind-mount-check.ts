import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WharfTestEnv } from './wharf-env.js';

/**
 * The round trip every share mechanism must pass: a container reads `from-host.txt` (written on
 * the host beforehand) through a bind mount and writes `from-container.txt` back, which the host
 * sees with the host user as owner. `alsoInContainer` runs after that in the same container.
 */
export async function assertBindMountBothWays(env: WharfTestEnv, share: string, image: string, alsoInContainer?: string): Promise<void> {
  const script = ['cat /src/from-host.txt', 'echo made in the container > /src/from-container.txt', ...(alsoInContainer ? [alsoInContainer] : [])].join(' && ');
  const r = await env.docker(['run', '--rm', '-v', `${share}:/src`, image, 'sh', '-c', script]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'written on the host\n');
  const made = path.join(share, 'from-container.txt');
  assert.equal(fs.readFileSync(made, 'utf8'), 'made in the container\n');
  assert.equal(fs.statSync(made).uid, os.userInfo().uid);
}
