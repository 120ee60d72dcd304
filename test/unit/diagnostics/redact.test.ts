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

test('quoted values with spaces, docker login -p, --password <pw> and well-known token formats are redacted', () => {
  // Each token is made up but has the real format's shape.
  const secrets = {
    quotedDouble: 'correct horse battery',
    quotedSingle: 'two words',
    jsonSpaced: 'my json secret',
    loginP: 'hunter2login',
    loginPEq: 'hunter3eq',
    passwordFlag: 'flagpass99',
    tokenFlag: 'tok-flag-77',
    ghp: 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
    gho: 'gho_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2',
    githubPat: 'github_pat_' + '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS',
    glpat: 'glpat-' + 'xYz12AbC34dEf56GhI78',
    slack: 'xoxb-' + '123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
    slackUser: 'xoxp-' + '123456789012-1234567890123-1234567890123-abcdef0123456789abcdef0123456789',
    aws: 'AKIA' + 'IOSFODNN7EXAMPLE',
    jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    bearer: 'opaqueBearerValue123',
    dockerPat: 'dckr_pat_' + 'AbCdEfGhIjKlMnOpQrStUvWxYz0',
    npm: 'npm_' + 'abcdefghijklmnopqrstuvwxyz0123456789',
  };
  const text = [
    `level=info password="${secrets.quotedDouble}" user=bob`,
    `secret='${secrets.quotedSingle}' ok=yes`,
    `{"client_secret": "${secrets.jsonSpaced}", "email": "a@b.c"}`,
    `+ docker login -u bob -p ${secrets.loginP} registry.example`,
    `docker login --username bob -p=${secrets.loginPEq} registry.example`,
    `skopeo copy --password ${secrets.passwordFlag} src dst`,
    `tool --api-token ${secrets.tokenFlag} --verbose`,
    `cloned with ${secrets.ghp} and ${secrets.gho}`,
    `fine-grained ${secrets.githubPat}`,
    `gitlab ${secrets.glpat} end`,
    `slack ${secrets.slack} / ${secrets.slackUser}`,
    `aws key ${secrets.aws} in env`,
    `cookie jwt ${secrets.jwt}`,
    `curl -H "X-Auth: Bearer ${secrets.bearer}" http://x`,
    `hub ${secrets.dockerPat} npm ${secrets.npm}`,
  ].join('\n');
  const out = redactText(text);
  for (const [name, secret] of Object.entries(secrets)) {
    assert.ok(!out.includes(secret), `${name} leaked:\n${out}`);
  }
  for (const kept of ['user=bob', 'ok=yes', '"email": "a@b.c"', 'registry.example', '-u bob', 'src dst', '--verbose', 'in env', 'docker login --username bob']) {
    assert.ok(out.includes(kept), `${kept} missing:\n${out}`);
  }
  // docker run's -p publishes a port; it is not a password.
  assert.equal(redactText('docker run -p 8080:80 nginx'), 'docker run -p 8080:80 nginx');
  // --password-stdin takes no value: the registry name after it stays readable.
  assert.equal(redactText('docker login --password-stdin registry.example'), 'docker login --password-stdin registry.example');
  // Redacting twice changes nothing more.
  assert.equal(redactText(out), out);
});
