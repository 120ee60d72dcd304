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

async function mode(file: string): Promise<number> {
  return (await fs.stat(file)).mode & 0o777;
}

test('a 0600 config.json holding registry passwords stays 0600 through start and stop (finding 1)', async () => {
  const dir = await tmp();
  const file = path.join(dir, 'config.json');
  const auths = { 'registry.example:5000': { auth: Buffer.from('me:s3cret').toString('base64') } };
  await fs.writeFile(file, JSON.stringify({ auths }), { mode: 0o600 });
  await fs.chmod(file, 0o600);
  const store = new DockerContextStore(dir);
  const sw = new ContextSwitcher(store, path.join(dir, 'prev.json'));
  await sw.install('/x/docker.sock', true);
  assert.equal(await mode(file), 0o600, 'after start');
  await sw.restore();
  assert.equal(await mode(file), 0o600, 'after stop');
  assert.deepEqual(JSON.parse(await fs.readFile(file, 'utf8')).auths, auths);
});

test('config.json keeps a mode the user chose, and is created 0600 when new (finding 1)', async () => {
  const dir = await tmp();
  const file = path.join(dir, 'config.json');
  const store = new DockerContextStore(dir);
  await store.setCurrent('wharf');
  assert.equal(await mode(file), 0o600, 'created');
  await fs.chmod(file, 0o640);
  await store.setCurrent(undefined);
  assert.equal(await mode(file), 0o640, 'kept');
});

test('~/.docker, contexts/meta and the context directory are created 0700 (finding 1)', async () => {
  const base = await tmp();
  const dir = path.join(base, 'dot-docker');
  const store = new DockerContextStore(dir);
  const sw = new ContextSwitcher(store, path.join(base, 'prev.json'));
  await sw.install('/x/docker.sock', true);
  assert.equal(await mode(dir), 0o700, '~/.docker');
  assert.equal(await mode(path.join(dir, 'contexts')), 0o700, 'contexts');
  assert.equal(await mode(path.join(dir, 'contexts', 'meta')), 0o700, 'contexts/meta');
  assert.equal(await mode(store.metaDir('wharf')), 0o700, 'the context');
  assert.equal(await mode(path.join(store.metaDir('wharf'), 'meta.json')), 0o600, 'meta.json');
  assert.equal(await mode(path.join(base, 'prev.json')), 0o600, 'remembered context');
});

test('a config.json that is a symlink (dotfiles) is written through, not replaced', async () => {
  const dir = await tmp();
  const real = path.join(dir, 'dotfiles-config.json');
  await fs.writeFile(real, JSON.stringify({ auths: {} }), { mode: 0o600 });
  await fs.symlink(real, path.join(dir, 'config.json'));
  await new DockerContextStore(dir).setCurrent('wharf');
  assert.ok((await fs.lstat(path.join(dir, 'config.json'))).isSymbolicLink());
  assert.equal(JSON.parse(await fs.readFile(real, 'utf8')).currentContext, 'wharf');
  assert.equal(await mode(real), 0o600);
});
