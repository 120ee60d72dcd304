import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WslTestEnv } from '../support/wsl-standin-env.js';

/**
 * WSL 2's CPUs and memory are .wslconfig's, for every distro: through the real
 * CLI, control socket and core (backend=wsl on the stand-in), `wharf set`
 * alone saves but never touches the file; `--host-wide` (the consent) writes
 * [wsl2] keeping the user's file and leaving a backup. Then the engine starts
 * and `wharf status` reports what the distro really has, not Wharf's settings.
 */
describe('WSL 2 resources in .wslconfig, through the stand-in', { timeout: 10 * 60_000 }, () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-wslprofile-'));
  const wslconfig = path.join(profile, '.wslconfig');
  const env = new WslTestEnv('wslres', { WHARF_WSLCONFIG: wslconfig });
  const original = '# mine\r\n[wsl2]\r\nmemory=6GB\r\nlocalhostForwarding=true\r\n';

  after(async () => {
    await env.wharf(['stop'], { timeoutMs: 120_000 }).catch(() => undefined);
    env.cleanup();
    fs.rmSync(profile, { recursive: true, force: true });
  });

  test('set alone saves and says where the values live; --host-wide writes them, keeping the file, with a backup', async () => {
    fs.writeFileSync(wslconfig, original);
    assert.equal((await env.wharf(['set', 'backend=wsl'])).code, 0);

    const plain = await env.wharf(['set', 'cpus=1', 'memory=2GiB']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, new RegExp(`live in ${wslconfig.replace(/[.\\]/g, '\\$&')}, shared by every WSL 2 distribution.*it was not changed.*--host-wide`));
    assert.equal(fs.readFileSync(wslconfig, 'utf8'), original);

    const bad = await env.wharf(['set', 'cpus=64', '--host-wide']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /cpus must be a whole number between 1 and \d+/);
    assert.equal(fs.readFileSync(wslconfig, 'utf8'), original);

    const t0 = Date.now();
    const r = await env.wharf(['set', 'cpus=1', 'memory=2GiB', 'swap=0', '--host-wide']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Wrote processors=1, memory=2GB, swap=0 to .*\.wslconfig \(the previous file is in .*\.wslconfig\.wharf-backup-\d{8}T\d{6}Z\)/);
    assert.match(r.stdout, /Wharf never runs wsl --shutdown/);
    assert.equal(fs.readFileSync(wslconfig, 'utf8'), '# mine\r\n[wsl2]\r\nmemory=2GB\r\nlocalhostForwarding=true\r\nprocessors=1\r\nswap=0\r\n');
    const backups = fs.readdirSync(profile).filter((f) => f.startsWith('.wslconfig.wharf-backup-'));
    assert.equal(backups.length, 1);
    assert.equal(fs.readFileSync(path.join(profile, backups[0]!), 'utf8'), original);
    const saved = JSON.parse((await env.wharf(['get', '--json'])).stdout) as { cpus: number; memory: number; swap: number };
    assert.deepEqual({ cpus: saved.cpus, memory: saved.memory, swap: saved.swap }, { cpus: 1, memory: 2048, swap: 0 });
    console.log(`FIGURE wslconfig-write-seconds ${((Date.now() - t0) / 1000).toFixed(2)}`);
  });

  test('the running engine reports the distro\'s real CPUs and memory (WSL\'s, not Wharf\'s settings)', async () => {
    const start = await env.wharf(['start'], { timeoutMs: 600_000 });
    assert.equal(start.code, 0, `${start.stderr}\n${start.stdout}`);
    const status = JSON.parse((await env.wharf(['status', '--json'])).stdout) as { backend: string; resources?: { cpus: number; memoryMiB: number; diskGiB?: number } };
    assert.equal(status.backend, 'wsl');
    // The stand-in's distro sees this host (WSL's VM would give what .wslconfig says after its restart).
    assert.equal(status.resources?.cpus, os.availableParallelism());
    assert.ok(Math.abs((status.resources?.memoryMiB ?? 0) - os.totalmem() / 1024 / 1024) < 64, JSON.stringify(status.resources));
    assert.equal(status.resources?.diskGiB, undefined);
    assert.equal((await env.wharf(['stop'], { timeoutMs: 120_000 })).code, 0);
  });
});
