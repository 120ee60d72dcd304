import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { ContextSwitcher, DockerContextStore } from '../../../src-main/core/proxy/docker-context.js';

async function tmp(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'wharf-ctx-'));
}

test('writes meta.json where the docker CLI looks for it', async () => {
  const dir = await tmp();
  const store = new DockerContextStore(dir);
  await store.write('wharf', 'unix:///x/docker.sock', 'Wharf');
  const hash = createHash('sha256').update('wharf').digest('hex');
  const meta = JSON.parse(await fs.readFile(path.join(dir, 'contexts', 'meta', hash, 'meta.json'), 'utf8'));
  assert.equal(meta.Name, 'wharf');
  assert.equal(meta.Endpoints.docker.Host, 'unix:///x/docker.sock');
});

test('switches to wharf and restores the previous context, keeping other config keys', async () => {
  const dir = await tmp();
  await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify({ auths: { r: {} }, currentContext: 'colima' }));
  const store = new DockerContextStore(dir);
  const sw = new ContextSwitcher(store, path.join(dir, 'prev.json'));
  await sw.install('/x/docker.sock', true);
  assert.equal(await store.current(), 'wharf');
  await sw.restore();
  const config = JSON.parse(await fs.readFile(path.join(dir, 'config.json'), 'utf8'));
  assert.equal(config.currentContext, 'colima');
  assert.deepEqual(config.auths, { r: {} });
});

test('restoring to "default" removes the key; a context the user picked meanwhile is kept', async () => {
  const dir = await tmp();
  const store = new DockerContextStore(dir);
  const sw = new ContextSwitcher(store, path.join(dir, 'prev.json'));
  await sw.install('/x/docker.sock', true);
  await sw.restore();
  assert.equal(await store.current(), undefined);
  await sw.install('/x/docker.sock', true);
  await store.setCurrent('other');
  await sw.restore();
  assert.equal(await store.current(), 'other');
});

test('switchContext=false installs the context without making it current', async () => {
  const dir = await tmp();
  const store = new DockerContextStore(dir);
  await new ContextSwitcher(store, path.join(dir, 'prev.json')).install('/x/docker.sock', false);
  assert.equal(await store.current(), undefined);
  assert.ok(await store.exists('wharf'));
});

test('a corrupt config.json is reported with what to do', async () => {
  const dir = await tmp();
  await fs.writeFile(path.join(dir, 'config.json'), '{nope');
  await assert.rejects(new DockerContextStore(dir).current(), /Fix or remove that file/);
});
