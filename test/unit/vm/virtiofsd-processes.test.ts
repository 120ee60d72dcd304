import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { recordVirtiofsd, stopVirtiofsdLeftovers, virtiofsdIdentityFile } from '../../../src-main/core/vm/qemu/virtiofsd-processes.js';
import { isAlive, waitForExit } from '../../../src-main/core/vm/process-util.js';

/** A real process whose command line names virtiofsd (a copy of sleep), as a leftover would be. */
function fakeVirtiofsd(dir: string): number {
  const bin = path.join(dir, 'virtiofsd');
  fs.copyFileSync('/bin/sleep', bin);
  fs.chmodSync(bin, 0o755);
  const child = spawn(bin, ['600'], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}

test('a recorded virtiofsd is stopped, and its record removed', { skip: process.platform !== 'linux' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-vfsd-'));
  const pid = fakeVirtiofsd(dir);
  await recordVirtiofsd(dir, 0, pid);
  assert.ok(fs.existsSync(virtiofsdIdentityFile(dir, 0)));
  assert.equal(fs.statSync(virtiofsdIdentityFile(dir, 0)).mode & 0o777, 0o600);
  assert.equal(await stopVirtiofsdLeftovers(dir), 1);
  assert.equal(await waitForExit(pid, 2000), true);
  assert.equal(fs.existsSync(virtiofsdIdentityFile(dir, 0)), false);
  assert.equal(await stopVirtiofsdLeftovers(dir), 0);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a record whose pid now belongs to another process (other start time) kills nothing', { skip: process.platform !== 'linux' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-vfsd-'));
  const pid = fakeVirtiofsd(dir);
  fs.writeFileSync(virtiofsdIdentityFile(dir, 1), JSON.stringify({ pid, startTime: '1' }));
  fs.writeFileSync(virtiofsdIdentityFile(dir, 2), 'not json');
  assert.equal(await stopVirtiofsdLeftovers(dir), 0);
  assert.equal(isAlive(pid), true);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.id.json')), []);
  process.kill(pid, 'SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});
