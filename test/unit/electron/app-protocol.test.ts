import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import YAML from 'yaml';
import { APP_INDEX_URL, resolveAppRequest } from '../../../src-main/electron/app-protocol.js';
import { isTrustedUrl } from '../../../src-main/core/transports/ipc-adapter.js';

const repo = path.resolve(import.meta.dirname, '../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-app-'));
const renderer = path.join(dir, 'renderer');
fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
fs.writeFileSync(path.join(renderer, 'index.html'), '<html></html>');
fs.writeFileSync(path.join(renderer, 'assets', 'index-abc.js'), '');
fs.writeFileSync(path.join(dir, 'secret.txt'), 'not for the page');

describe('app:// protocol for the packaged renderer', () => {
  it('serves the renderer\'s files with a CSP header and their type', () => {
    const index = resolveAppRequest(APP_INDEX_URL, renderer);
    assert.ok('file' in index);
    assert.equal(index.file, path.join(renderer, 'index.html'));
    assert.match(index.headers['Content-Security-Policy']!, /default-src 'none'.*script-src 'self'.*frame-ancestors 'none'/);
    assert.equal(index.headers['Content-Type'], 'text/html; charset=utf-8');
    assert.equal(index.headers['X-Content-Type-Options'], 'nosniff');
    const root = resolveAppRequest('app://wharf/', renderer);
    assert.ok('file' in root && root.file === path.join(renderer, 'index.html'));
    const js = resolveAppRequest('app://wharf/assets/index-abc.js?v=1#x', renderer);
    assert.ok('file' in js && js.headers['Content-Type']!.startsWith('text/javascript'));
  });

  it('refuses path traversal in every spelling', () => {
    for (const url of [
      'app://wharf/../secret.txt',
      'app://wharf/%2e%2e/secret.txt',
      'app://wharf/%2E%2E%2Fsecret.txt',
      'app://wharf/assets/..%2f..%2fsecret.txt',
      'app://wharf/..%5csecret.txt',
      'app://wharf/assets%5c..%5c..%5csecret.txt',
      'app://wharf/index.html%00.js',
      `app://wharf/${'%2e%2e/'.repeat(8)}etc/passwd`,
      'app://wharf//etc/passwd',
    ]) {
      const r = resolveAppRequest(url, renderer);
      assert.ok('file' in r ? r.file.startsWith(renderer + path.sep) : r.status >= 400, `${url} → ${JSON.stringify(r)}`);
      assert.ok(!('file' in r) || !r.file.endsWith('secret.txt'), `${url} reached a file outside the renderer`);
    }
    assert.equal((resolveAppRequest('app://wharf/%zz', renderer) as { status: number }).status, 400);
    assert.equal((resolveAppRequest('app://evil/index.html', renderer) as { status: number }).status, 403);
    assert.equal((resolveAppRequest('file:///etc/passwd', renderer) as { status: number }).status, 403);
  });

  it('only app://wharf pages are trusted by the IPC adapter when the renderer is served from it', () => {
    const trusted = { appOrigin: 'app://wharf' };
    assert.equal(isTrustedUrl('app://wharf/index.html#/containers', trusted), true);
    assert.equal(isTrustedUrl('app://other/index.html', trusted), false);
    assert.equal(isTrustedUrl('file:///tmp/index.html', trusted), false);
    assert.equal(isTrustedUrl('https://wharf/index.html', trusted), false);
  });

  it('the packaged app turns the grantFileProtocolExtraPrivileges fuse off', () => {
    const builder = YAML.parse(fs.readFileSync(path.join(repo, 'electron-builder.yml'), 'utf8')) as { electronFuses: Record<string, boolean> };
    assert.equal(builder.electronFuses.grantFileProtocolExtraPrivileges, false);
  });
});
