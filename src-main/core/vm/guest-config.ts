import fs from 'node:fs/promises';
import { createTar } from '../util/tar.js';
import type { TlsMaterial } from '../proxy/certs.js';

export interface GuestConfigInput {
  tls: TlsMaterial;
  daemonJson: Record<string, unknown>;
  /** tag → absolute host path, mounted at the same path in the guest. */
  shares: Array<{ tag: string; path: string }>;
  env: Record<string, string>;
}

/**
 * The tar the guest reads from fw_cfg at boot (layout in vm-assets/README.md).
 * Written 0600 because it carries the server's private key.
 */
export async function writeGuestConfig(file: string, input: GuestConfigInput): Promise<void> {
  const tar = createTar([
    { name: 'tls/ca.pem', data: input.tls.ca },
    { name: 'tls/server-cert.pem', data: input.tls.serverCert },
    { name: 'tls/server-key.pem', data: input.tls.serverKey, mode: 0o600 },
    { name: 'daemon.json', data: JSON.stringify(input.daemonJson, null, 2) + '\n' },
    { name: 'shares', data: input.shares.map((s) => `${s.tag} ${s.path}\n`).join('') },
    { name: 'env', data: Object.entries(input.env).map(([k, v]) => `${k}=${v}\n`).join('') },
  ]);
  const tmp = `${file}.tmp`;
  await fs.writeFile(tmp, tar, { mode: 0o600 });
  await fs.rename(tmp, file);
}
