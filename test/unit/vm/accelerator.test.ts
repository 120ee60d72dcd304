import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { acceleratorPlan, readVerdicts, recordVerdict, nativeAccelerator } from '../../../src-main/core/vm/qemu/accelerator.js';

test('native accelerator per OS', () => {
  assert.equal(nativeAccelerator('linux'), 'kvm');
  assert.equal(nativeAccelerator('darwin'), 'hvf');
  assert.equal(nativeAccelerator('win32'), 'whpx');
});

test('auto tries the native accelerator first, then falls back to tcg', () => {
  assert.deepEqual(acceleratorPlan({ requested: 'auto', platform: 'linux', nativeAvailable: true, verdicts: [], qemuVersion: '7.2' }), ['kvm', 'tcg']);
  assert.deepEqual(acceleratorPlan({ requested: 'auto', platform: 'linux', nativeAvailable: false, verdicts: [], qemuVersion: '7.2' }), ['tcg']);
});

test('auto remembers a broken accelerator for the same qemu version only', () => {
  const verdicts = [{ accelerator: 'kvm' as const, works: false, qemuVersion: '7.2', at: 'x' }];
  assert.deepEqual(acceleratorPlan({ requested: 'auto', platform: 'linux', nativeAvailable: true, verdicts, qemuVersion: '7.2' }), ['tcg']);
  assert.deepEqual(acceleratorPlan({ requested: 'auto', platform: 'linux', nativeAvailable: true, verdicts, qemuVersion: '8.0' }), ['kvm', 'tcg']);
});

test('an explicit choice is tried alone', () => {
  assert.deepEqual(acceleratorPlan({ requested: 'kvm', platform: 'linux', nativeAvailable: true, verdicts: [], qemuVersion: '7.2' }), ['kvm']);
});

test('verdicts persist and replace older ones', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wharf-accel-'));
  const file = path.join(dir, 'v.json');
  assert.deepEqual(await readVerdicts(file), []);
  await recordVerdict(file, { accelerator: 'kvm', works: false, qemuVersion: '7.2', at: 'a' });
  await recordVerdict(file, { accelerator: 'kvm', works: false, qemuVersion: '7.2', at: 'b', reason: 'hang' });
  const v = await readVerdicts(file);
  assert.equal(v.length, 1);
  assert.equal(v[0]!.reason, 'hang');
  await fs.writeFile(file, 'not json');
  assert.deepEqual(await readVerdicts(file), []);
});
