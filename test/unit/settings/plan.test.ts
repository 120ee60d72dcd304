import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffSettings, planChange } from '../../../src-main/core/settings/plan.js';
import { fakeDefaults } from './helpers.js';

const current = fakeDefaults();

test('VM keys restart the VM', () => {
  for (const [key, value] of Object.entries({ cpus: 1, memory: 2048, swap: 0, disk: 80, accelerator: 'tcg', fileShares: ['/x'] })) {
    assert.deepEqual(planChange(current, { [key]: value }), { changed: [key], restartsVm: true, restartsEngine: false, refused: [] }, key);
  }
});

test('each backend names its own restart keys; a backend switch always restarts and warns that data is not migrated', () => {
  // A backend whose CPUs and memory are global (WSL) does not restart for them.
  assert.equal(planChange(current, { cpus: 1 }, [], ['disk']).restartsVm, false);
  assert.equal(planChange(current, { disk: 80 }, [], ['disk']).restartsVm, true);
  const plan = planChange(current, { backend: 'wsl' }, [], []);
  assert.equal(plan.restartsVm, true);
  assert.deepEqual(plan.changed, ['backend']);
  assert.match(plan.warnings![0]!, /from QEMU to WSL 2 .*not migrated.*switching back to QEMU finds its data again/);
});

test('daemon.json alone restarts only the engine', () => {
  assert.deepEqual(planChange(current, { daemonJson: { debug: true } }), { changed: ['daemonJson'], restartsVm: false, restartsEngine: true, refused: [] });
});

test('a VM restart covers a daemon.json change too', () => {
  const plan = planChange(current, { daemonJson: { debug: true }, cpus: 1 });
  assert.equal(plan.restartsVm, true);
  assert.equal(plan.restartsEngine, false);
  assert.deepEqual(plan.changed.sort(), ['cpus', 'daemonJson']);
});

test('switchContext and startAtLogin restart nothing; unchanged values are not "changed"', () => {
  assert.deepEqual(planChange(current, { switchContext: false, startAtLogin: true, cpus: current.cpus, fileShares: [...current.fileShares] }),
    { changed: ['switchContext', 'startAtLogin'], restartsVm: false, restartsEngine: false, refused: [] });
});

test('refusals are carried into the plan', () => {
  assert.deepEqual(planChange(current, {}, [{ key: 'cpus', reason: 'no' }]).refused, [{ key: 'cpus', reason: 'no' }]);
});

test('diffSettings lists exactly the keys that differ', () => {
  assert.deepEqual(diffSettings(current, { ...current, disk: 100, daemonJson: { debug: true } }), { disk: 100, daemonJson: { debug: true } });
  assert.deepEqual(diffSettings(current, structuredClone(current)), {});
});
