import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createBackend } from '../../../src-main/core/vm/factory.js';
import { SwitchableBackend } from '../../../src-main/core/vm/switchable.js';
import { UnavailableBackend } from '../../../src-main/core/vm/unavailable.js';
import { wharfPaths } from '../../../src-main/core/paths.js';
import { createCore } from '../../../src-main/core/core.js';
import { defaultSettings } from '../../../src-main/core/settings/defaults.js';
import { probeHost } from '../../../src-main/core/settings/host-info.js';
import type { VmState } from '../../../src-main/core/contract/types.js';

const noAssets = async () => { throw new Error('not needed'); };

test('a backend this host cannot run is an error state with the reason, not a throw', async () => {
  const b = createBackend('vz', { paths: wharfPaths('/tmp/none', 'linux'), assets: noAssets, platform: 'linux' });
  assert.equal(b.name, 'vz');
  assert.equal(b.state.state, 'error');
  assert.match(b.state.reason!, /only on macOS.*Set backend=qemu/);
  await assert.rejects(b.start({} as never), (e: Error & { code?: string }) => e.code === 'backend-unavailable' && /only on macOS/.test(e.message));
  await b.stop();
});

test('the switchable backend keeps its listeners across a switch and reports the new state', async () => {
  const a = new UnavailableBackend('wsl', 'no WSL here');
  const sw = new SwitchableBackend(a);
  const seen: VmState[] = [];
  sw.on('state', (s) => seen.push(s));
  assert.equal(sw.name, 'wsl');
  const q = createBackend('qemu', { paths: wharfPaths('/tmp/none', 'linux'), assets: noAssets, platform: 'linux' });
  sw.replace(q);
  assert.equal(sw.name, 'qemu');
  assert.deepEqual(seen, [{ state: 'stopped' }]);
  assert.deepEqual(sw.restartKeys, q.restartKeys);
  assert.deepEqual(sw.guestShares(['/a', '/b']), [{ tag: 'share0', path: '/a' }, { tag: 'share1', path: '/b' }]);
});

test('the core starts when the settings name a backend this host cannot run, shows why, and lets the user switch', async () => {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-seam-'));
  const saved = { ...defaultSettings(await probeHost()), backend: 'vz' };
  await fs.writeFile(path.join(home, 'settings.json'), JSON.stringify(saved));
  const core = await createCore({ home, cacheDir: path.join(home, 'cache') });
  try {
    const status = await core.dispatch('engine.status', []);
    assert.ok(status.ok);
    const s = status.result as { backend: string; vm: VmState; notices: Array<{ code: string; message: string }> };
    assert.equal(s.backend, 'vz');
    assert.equal(s.vm.state, 'error');
    assert.match(s.vm.reason!, /only on macOS/);
    assert.ok(s.notices.some((n) => n.code === 'host-fit' && /vz backend is not available/.test(n.message)), JSON.stringify(s.notices));
    const start = await core.dispatch('engine.start', []);
    assert.equal(start.ok, false);
    // Settings stay editable: switching to qemu is accepted and planned as a switch.
    const set = await core.dispatch('settings.set', [{ backend: 'qemu' }]);
    assert.ok(set.ok, JSON.stringify(set));
    const plan = (set.result as { plan: { restartsVm: boolean; warnings?: string[] } }).plan;
    assert.equal(plan.restartsVm, true);
    assert.match(plan.warnings![0]!, /not migrated/);
  } finally {
    await core.shutdown();
    await fs.rm(home, { recursive: true, force: true });
  }
});
