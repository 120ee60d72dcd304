import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { qemuProcessesFor, waitFor } from '../support/wharf-env.js';
import { WslTestEnv } from '../support/wsl-standin-env.js';

/**
 * The WSL 2 / VM switch: each backend keeps its own data and nothing is
 * migrated (as Docker Desktop does), the switch says so before it happens, and
 * switching back finds the old data again.
 */
describe('switching between backend=wsl and backend=qemu', { timeout: 30 * 60_000 }, () => {
  const env = new WslTestEnv('switch');
  after(() => env.cleanup());

  const volumes = async () => (await env.docker(['volume', 'ls', '--format', '{{.Name}}'], { viaSocket: true })).stdout.split('\n').filter(Boolean);

  test('a volume made under wsl is not there under qemu, as the switch said, and is there again back under wsl', async () => {
    assert.equal((await env.wharf(['set', 'backend=wsl'])).code, 0);
    const up = await env.wharf(['start'], { timeoutMs: 600_000 });
    assert.equal(up.code, 0, up.stderr);
    assert.equal((await env.docker(['volume', 'create', 'made-under-wsl'], { viaSocket: true })).code, 0);

    const toQemu = await env.wharf(['set', 'backend=qemu']);
    assert.equal(toQemu.code, 0, toQemu.stderr);
    assert.match(toQemu.stdout, /Note: Switching from WSL 2 to QEMU .*not migrated: QEMU starts with its own data, and switching back to WSL 2 finds its data again/);
    const q = await env.wharf(['restart'], { timeoutMs: 900_000 });
    assert.equal(q.code, 0, q.stderr);
    assert.match(q.stdout, /Backend:\s+qemu/);
    assert.ok(qemuProcessesFor(env.home).length > 0, 'the QEMU VM runs');
    // The WSL distros were stopped: nothing of the stand-in runs but the data on disk.
    await waitFor(async () => (env.leftovers().processes.length === 0 ? true : undefined), 30_000, 'the WSL distros to stop');
    assert.ok(!(await volumes()).includes('made-under-wsl'));
    assert.equal((await env.docker(['volume', 'create', 'made-under-qemu'], { viaSocket: true })).code, 0);

    assert.equal((await env.wharf(['set', 'backend=wsl'])).code, 0);
    const back = await env.wharf(['restart'], { timeoutMs: 600_000 });
    assert.equal(back.code, 0, back.stderr);
    assert.match(back.stdout, /Backend:\s+wsl/);
    await waitFor(async () => (qemuProcessesFor(env.home).length === 0 ? true : undefined), 60_000, 'qemu to exit');
    const vs = await volumes();
    assert.ok(vs.includes('made-under-wsl'), vs.join(','));
    assert.ok(!vs.includes('made-under-qemu'));
    assert.equal((await env.wharf(['stop'], { timeoutMs: 120_000 })).code, 0);
  });
});
