import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DockerContextStore } from '../../../src-main/core/proxy/docker-context.js';
import { ContainerProxySync } from '../../../src-main/core/settings/container-proxies.js';
import { fakeDefaults } from './helpers.js';

test('container proxies go to config.json "proxies.default", keeping the rest of the file; a hand-made entry survives other changes', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-cfg-'));
  const file = path.join(dir, 'config.json');
  await fs.writeFile(file, JSON.stringify({ auths: { 'r.example': { auth: 'eA==' } }, proxies: { default: { httpProxy: 'http://mine:1' }, 'tcp://other:2376': { httpProxy: 'http://o:1' } } }));
  const base = fakeDefaults();
  const sync = new ContainerProxySync(new DockerContextStore(dir), base);
  assert.equal(await sync.onSettings({ ...base, cpus: 2 }), false, 'an unrelated change never touches the file');
  assert.deepEqual(JSON.parse(await fs.readFile(file, 'utf8')).proxies.default, { httpProxy: 'http://mine:1' });
  assert.equal(await sync.onSettings({ ...base, containerHttpProxy: 'http://127.0.0.1:3128', containerNoProxy: 'localhost' }), true);
  const cfg = JSON.parse(await fs.readFile(file, 'utf8'));
  assert.deepEqual(cfg.proxies.default, { httpProxy: 'http://host.docker.internal:3128', noProxy: 'localhost' });
  assert.deepEqual(cfg.proxies['tcp://other:2376'], { httpProxy: 'http://o:1' });
  assert.deepEqual(cfg.auths, { 'r.example': { auth: 'eA==' } });
  await sync.onSettings(base);
  assert.equal(JSON.parse(await fs.readFile(file, 'utf8')).proxies.default, undefined);
});
