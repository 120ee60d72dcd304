import fs from 'node:fs/promises';
import { tarBuffer } from '../util/tar.js';
import type { TlsMaterial } from '../proxy/certs.js';
import { UserError } from '../errors.js';
import { unsafeShareCharacter } from '../settings/file-shares.js';

export interface GuestConfigInput {
  tls: TlsMaterial;
  daemonJson: Record<string, unknown>;
  /** tag → absolute host path, mounted at the same path in the guest. */
  shares: Array<{ tag: string; path: string }>;
  /** Synchronized folders: id → the path the guest sees the host folder at (share-sync). */
  syncs?: Array<{ id: string; path: string }>;
  env: Record<string, string>;
}

/**
 * The tar the guest reads from fw_cfg at boot (layout in vm-assets/README.md).
 * Written 0600 because it carries the server's private key.
 */
export async function writeGuestConfig(file: string, input: GuestConfigInput): Promise<void> {
  // The shares file is one "<tag> <path>" per line: a path must not be able to add a line
  // (settings refuse such paths; a settings file edited by hand reaches here too).
  for (const share of input.shares) {
    const unsafe = unsafeShareCharacter(share.path);
    if (unsafe) throw new UserError(`The shared folder ${JSON.stringify(share.path)} ${unsafe}. Remove it in Settings → File sharing (or \`wharf set fileShares=…\`), then start again.`, 'bad-share-path');
    if (!/^[A-Za-z0-9_-]+$/.test(share.tag)) throw new UserError(`Share tag ${JSON.stringify(share.tag)} is not a plain name.`, 'bad-share-path');
  }
  for (const sync of input.syncs ?? []) {
    const unsafe = unsafeShareCharacter(sync.path);
    if (unsafe) throw new UserError(`The synced folder ${JSON.stringify(sync.path)} ${unsafe}. Remove it in Settings → File sharing (or \`wharf set syncedShares=…\`), then start again.`, 'bad-share-path');
  }
  const text = (s: string) => Buffer.from(s, 'utf8');
  const tar = tarBuffer([
    { name: 'tls/ca.pem', data: text(input.tls.ca) },
    { name: 'tls/server-cert.pem', data: text(input.tls.serverCert) },
    { name: 'tls/server-key.pem', data: text(input.tls.serverKey), mode: 0o600 },
    { name: 'daemon.json', data: text(JSON.stringify(input.daemonJson, null, 2) + '\n') },
    { name: 'shares', data: text(input.shares.map((s) => `${s.tag} ${s.path}\n`).join('')) },
    { name: 'syncs', data: text((input.syncs ?? []).map((s) => `${s.id} ${s.path}\n`).join('')) },
    { name: 'env', data: text(Object.entries(input.env).map(([k, v]) => `${k}=${v}\n`).join('')) },
  ]);
  const tmp = `${file}.tmp`;
  await fs.writeFile(tmp, tar, { mode: 0o600 });
  await fs.rename(tmp, file);
}
