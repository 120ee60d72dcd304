// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs this polyfill first.
import 'reflect-metadata';
import fs from 'node:fs/promises';
import path from 'node:path';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface TlsMaterial {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

const FILES: Record<keyof TlsMaterial, string> = {
  ca: 'ca.pem',
  serverCert: 'server-cert.pem',
  serverKey: 'server-key.pem',
  clientCert: 'cert.pem',
  clientKey: 'key.pem',
};

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function pemKey(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');
}

/**
 * A private CA plus a server cert for the guest's dockerd and a client cert for
 * the host proxy. ECDSA P-256 keeps generation instant in pure Node.
 */
export async function generateTlsMaterial(): Promise<TlsMaterial> {
  const notBefore = new Date(Date.now() - 3600_000);
  const notAfter = new Date(Date.now() + TEN_YEARS_MS);
  const caKeys = await keyPair();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(), name: 'CN=Wharf local CA', notBefore, notAfter, keys: caKeys, signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const issue = async (cn: string, usage: string, san?: x509.SubjectAlternativeNameExtension) => {
    const keys = await keyPair();
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension([usage]),
      await x509.AuthorityKeyIdentifierExtension.create(ca, false),
    ];
    if (san) extensions.push(san);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(), subject: `CN=${cn}`, issuer: ca.subject, notBefore, notAfter,
      signingKey: caKeys.privateKey, publicKey: keys.publicKey, signingAlgorithm: alg, extensions,
    });
    return { cert: cert.toString('pem'), key: await pemKey(keys.privateKey) };
  };
  const server = await issue('wharf-vm', x509.ExtendedKeyUsage.serverAuth, new x509.SubjectAlternativeNameExtension([
    { type: 'dns', value: 'localhost' }, { type: 'dns', value: 'wharf-vm' },
    { type: 'ip', value: '127.0.0.1' }, { type: 'ip', value: '10.0.2.15' },
  ]));
  const client = await issue('wharf-host', x509.ExtendedKeyUsage.clientAuth);
  return { ca: ca.toString('pem'), serverCert: server.cert, serverKey: server.key, clientCert: client.cert, clientKey: client.key };
}

/** Loads the certificates, generating them on first start. Keys are mode 0600. */
export async function ensureTlsMaterial(dir: string): Promise<TlsMaterial> {
  try {
    const entries = await Promise.all(Object.entries(FILES).map(async ([k, f]) => [k, await fs.readFile(path.join(dir, f), 'utf8')] as const));
    return Object.fromEntries(entries) as unknown as TlsMaterial;
  } catch {
    const material = await generateTlsMaterial();
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    for (const [k, f] of Object.entries(FILES)) {
      const target = path.join(dir, f);
      const tmp = `${target}.tmp`;
      await fs.writeFile(tmp, material[k as keyof TlsMaterial], { mode: k.endsWith('Key') ? 0o600 : 0o644 });
      await fs.rename(tmp, target);
    }
    return material;
  }
}

export function tlsFiles(dir: string): Record<keyof TlsMaterial, string> {
  return Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, path.join(dir, f)])) as Record<keyof TlsMaterial, string>;
}
