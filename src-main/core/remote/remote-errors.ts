import { UserError, errorMessage } from '../errors.js';

/**
 * What went wrong reaching another engine, in the user's words. Every message
 * says which of the three failed — the host, the certificate, the permission —
 * and what to check.
 */
export type RemoteFailure = 'remote-unreachable' | 'remote-certificate' | 'remote-permission' | 'remote-failed';

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT', 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN', 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'ERR_SSL_WRONG_VERSION_NUMBER',
]);
const NET_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'ENOENT', 'EPIPE']);

export function classifyRemoteError(err: unknown): RemoteFailure {
  const e = err as { code?: string; statusCode?: number; message?: string };
  const msg = errorMessage(err);
  if (e.code && TLS_CODES.has(e.code)) return 'remote-certificate';
  if (/certificate|ssl|tls alert|handshake/i.test(msg)) return 'remote-certificate';
  if (e.code === 'EACCES' || e.statusCode === 401 || e.statusCode === 403) return 'remote-permission';
  if (/permission denied|authentication failed|host key verification failed/i.test(msg)) return 'remote-permission';
  if (e.code && NET_CODES.has(e.code)) return 'remote-unreachable';
  if (/could not resolve hostname|connection refused|no route to host|timed out|name or service not known|connection closed/i.test(msg)) return 'remote-unreachable';
  return 'remote-failed';
}

export function remoteError(context: string, host: string, err: unknown): UserError {
  const kind = classifyRemoteError(err);
  const detail = errorMessage(err);
  const text: Record<RemoteFailure, string> = {
    'remote-unreachable': `Cannot reach the engine of context "${context}" at ${host}: host unreachable (${detail}). Check that the machine is up, the address and port are right and nothing blocks the connection.`,
    'remote-certificate': `The engine of context "${context}" at ${host} refused the TLS connection: certificate refused (${detail}). Check the context's CA, client certificate and key (docker context inspect ${context}) against the engine's.`,
    'remote-permission': `The engine of context "${context}" at ${host} refused access: permission denied (${detail}). Check your ssh key or agent, the user, and that the user may use docker there.`,
    'remote-failed': `The engine of context "${context}" at ${host} did not answer as a docker engine: ${detail}.`,
  };
  return new UserError(text[kind], kind);
}
