import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDACTED, redactText, redactValue } from '../../../src-main/core/diagnostics/redact.js';

test('secret-looking keys are blanked at any depth; other values stay', () => {
  const out = redactValue({
    cpus: 2,
    daemonJson: {
      debug: true,
      'authorization-plugins': ['authz-broker'],
      auths: { 'registry.example': { auth: 'dXNlcjpwYXNz' } },
      proxies: { 'http-proxy': 'http://bob:hunter2@proxy:3128' },
      'registry-mirrors': ['https://alice:s3cret@mirror.example'],
      'api-key': 'k-123', password: 'p', token: 't', clientSecret: 's',
    },
  });
  assert.deepEqual(out, {
    cpus: 2,
    daemonJson: {
      debug: true,
      'authorization-plugins': ['authz-broker'],
      auths: REDACTED,
      proxies: { 'http-proxy': `http://${REDACTED}@proxy:3128` },
      'registry-mirrors': [`https://${REDACTED}@mirror.example`],
      'api-key': REDACTED, password: REDACTED, token: REDACTED, clientSecret: REDACTED,
    },
  });
});

test('log text: key=value secrets, Authorization headers, URL credentials and private keys', () => {
  const text = [
    'level=info msg="login" password=hunter2 user=bob',
    'GET /v2/ Authorization: Bearer eyJhbGciOi.xyz',
    'Authorization: Basic dXNlcjpwYXNz',
    '{"auth": "dXNlcjpwYXNz", "email": "a@b.c"}',
    'pulling from https://alice:s3cret@registry.example/v2/',
    'TOKEN=abc123 other=fine',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----',
  ].join('\n');
  const out = redactText(text);
  for (const secret of ['hunter2', 'eyJhbGciOi', 'dXNlcjpwYXNz', 's3cret', 'abc123', 'MIIEow']) {
    assert.ok(!out.includes(secret), `${secret} leaked:\n${out}`);
  }
  for (const kept of ['user=bob', 'other=fine', '"email": "a@b.c"', 'registry.example/v2/', 'Authorization: Bearer [redacted]']) {
    assert.ok(out.includes(kept), `${kept} missing:\n${out}`);
  }
});
