import tls from 'node:tls';

/**
 * Which AEAD the guest's CPU runs fastest. A guest under software emulation
 * executes AES instructions as helper calls, and ChaCha20-Poly1305 moved 2.4x
 * the bytes of AES-128-GCM on the proxy's TLS leg (11.7 vs 4.8 MiB/s for
 * `/archive` on x86-64 TCG, bench/net-bench.ts). Real CPUs have AES in
 * hardware: the default order stays.
 */
export type TlsCipherPreference = 'default' | 'chacha20';

/**
 * TLS 1.3 suites ChaCha20 first, then Node's default TLS 1.2 list unchanged so
 * an older engine still connects. Go's TLS server (dockerd) follows the client's
 * order when the client does not lead with AES, so leading with ChaCha20 picks it.
 */
const CHACHA_FIRST = [
  'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384',
  ...tls.DEFAULT_CIPHERS.split(':').filter((c) => !c.startsWith('TLS_')),
].join(':');

/** The `ciphers` option for tls.connect, or undefined for Node's default. */
export function cipherList(pref: TlsCipherPreference | undefined): string | undefined {
  return pref === 'chacha20' ? CHACHA_FIRST : undefined;
}
