import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  CoreLink, corePid, eventRecorder, figure, MiB, now, openDashboard, qemuPid, qemuProcessesFor, sha256, status, waitFor, type Suite,
} from './support.js';

/**
 * Faults against the real VM and the unchanged docker CLI, on the suite's one
 * VM (faults.test.ts boots it). They run after the load and fuzz cases, since
 * they kill things; the QEMU kill doubles as the power cut (a writer fsyncs
 * while it dies). See README.md for what each case promises and the FIGURE
 * lines it prints.
 */
export function engineFaults(suite: Suite): void {
  const { env } = suite;
  // The real UI (dashboard in Chromium), opened after the core-kill case.
  let ui: Awaited<ReturnType<typeof openDashboard>> | undefined;
  /** Resolves with ms since `t0` once the status bar shows `text`, or -1 after `timeoutMs`. */
  const uiShows = (text: RegExp, t0: number, timeoutMs: number): Promise<number> =>
    ui!.statusBar.getByText(text).first().waitFor({ timeout: timeoutMs }).then(() => now() - t0, () => -1);

  after(async () => {
    await ui?.close();
  });

  test('settings written by two clients at once: one wins whole, the file is never torn', async () => {
    const file = path.join(env.home, 'settings.json');
    // What the core holds (the file may not exist yet in a home that never saved settings).
    const original = JSON.parse((await env.wharf(['get', '--json'])).stdout) as Record<string, unknown>;
    // Two whole documents that differ in every key they set; a torn or mixed
    // result would match neither.
    const a = { cpus: 1, swap: 512, daemonJson: { debug: true, labels: ['writer=a', 'x'.repeat(4000)] } };
    const b = { cpus: 2, swap: 1024, daemonJson: { debug: false, labels: ['writer=b', 'y'.repeat(8000)] } };
    const asArgs = (p: typeof a) => [`cpus=${p.cpus}`, `swap=${p.swap}`, `daemonJson=${JSON.stringify(p.daemonJson)}`];
    const rounds = 6;
    const winners = { a: 0, b: 0 };
    const t0 = now();
    for (let i = 0; i < rounds; i++) {
      const [ra, rb] = await Promise.all([env.wharf(['set', ...asArgs(a)]), env.wharf(['set', ...asArgs(b)])]);
      assert.equal(ra.code, 0, ra.stderr);
      assert.equal(rb.code, 0, rb.stderr);
      const text = fs.readFileSync(file, 'utf8');
      const saved = JSON.parse(text) as typeof a; // throws on a torn file
      const picked = [a, b].find((p) => saved.cpus === p.cpus && saved.swap === p.swap && JSON.stringify(saved.daemonJson) === JSON.stringify(p.daemonJson));
      assert.ok(picked, `round ${i}: settings.json mixes the two writers: ${text.slice(0, 300)}`);
      winners[picked === a ? 'a' : 'b']++;
      // The core agrees with the file.
      const got = JSON.parse((await env.wharf(['get', '--json'])).stdout || '{}') as typeof a;
      assert.equal(got.cpus, saved.cpus, "wharf get agrees with the file");
    }
    const leftovers = fs.readdirSync(env.home).filter((f) => f.startsWith('settings.json') && f !== 'settings.json');
    assert.deepEqual(leftovers, [], 'no temp files left behind');
    const restore = await env.wharf(['set', `cpus=${original.cpus}`, `swap=${original.swap}`, `daemonJson=${JSON.stringify(original.daemonJson)}`]);
    assert.equal(restore.code, 0, restore.stderr);
    figure('settings-race', { rounds, writers: 2, a_won: winners.a, b_won: winners.b, torn: 0, ms: now() - t0 });
  });

  test('core killed (kill -9): the engine keeps running, the next wharf status reattaches, published ports still answer', async () => {
    const pid = corePid(env);
    assert.ok(pid, 'the headless core runs');
    const vm = qemuPid(env);
    process.kill(pid, 'SIGKILL');
    await waitFor(async () => (fs.existsSync(`/proc/${pid}`) ? undefined : true), 5000, 'the core to die');
    // No core at all now: the port forward lives in the VM process, not in the core.
    const whileDead = await fetch(`http://127.0.0.1:${suite.webPort}/`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(whileDead.status, 200, 'the published port answers while no core runs');
    const t0 = now();
    const { s } = await status(env, 60_000);
    // The new core listens first and reattaches right after; a status that
    // lands in between says starting, never stopped or error.
    assert.ok(['running', 'starting'].includes(s.vm.state), `the next wharf status finds the engine (${s.vm.state})`);
    const link = await CoreLink.open(env);
    await waitFor(async () => ((await link.status()).s.vm.state === 'running' ? true : undefined), 30_000, 'the reattach');
    link.close();
    const reattachMs = now() - t0;
    assert.deepEqual(qemuProcessesFor(env.home), [vm], 'the same VM, not a new one');
    const v = await env.docker(['version', '--format', '{{.Server.Version}}'], { viaSocket: true });
    assert.equal(v.code, 0, v.stderr);
    const body = await (await fetch(`http://127.0.0.1:${suite.webPort}/`)).text();
    assert.equal(body, 'hello from a wharf container\n');
    figure('core-kill', { reattach_ms: reattachMs, port_answered_without_core: true, same_vm: true });
  });

  test('engine hung (QEMU SIGSTOP 30 s): status says "engine not answering", docker gets a bounded error; after SIGCONT it works without a restart', async () => {
    ui = await openDashboard(env);
    await ui.statusBar.getByText('Engine running').waitFor({ timeout: 60_000 });
    const vm = qemuPid(env);
    const rec = await eventRecorder(env);
    const link = await CoreLink.open(env);
    let detectMs = -1;
    let slowestStatusMs = 0;
    let dockerErr = '';
    let dockerMs = 0;
    let cliMs = 0;
    let cliNotice = false;
    const t0 = now();
    process.kill(vm, 'SIGSTOP');
    const uiSeen = uiShows(/engine is not answering/, t0, 30_000);
    try {
      const probeDocker = (async () => {
        await new Promise((r) => setTimeout(r, 15_000));
        const d0 = now();
        const r = await env.docker(['version', '--format', '{{.Server.Version}}'], { viaSocket: true, timeoutMs: 60_000 });
        dockerMs = now() - d0;
        assert.notEqual(r.code, 0, 'docker cannot succeed against a stopped VM');
        dockerErr = r.stderr;
      })();
      const probeCli = (async () => {
        await new Promise((r) => setTimeout(r, 16_000));
        const { s: st, ms } = await status(env, 60_000);
        cliMs = ms;
        cliNotice = st.notices.some((n) => n.code === 'engine-not-answering');
      })();
      while (now() - t0 < 30_000) {
        const { s: st, ms } = await link.status(5000);
        slowestStatusMs = Math.max(slowestStatusMs, ms);
        if (detectMs < 0 && st.notices.some((n) => n.code === 'engine-not-answering')) detectMs = now() - t0;
        await new Promise((r) => setTimeout(r, 500));
      }
      await Promise.all([probeDocker, probeCli]);
    } finally {
      process.kill(vm, 'SIGCONT');
    }
    const uiMs = await uiSeen;
    const c0 = now();
    assert.ok(detectMs > 0 && detectMs < 20_000, `the health check must report it (detected after ${detectMs} ms)`);
    assert.ok(slowestStatusMs < 5000, `engine.status must not hang (slowest ${slowestStatusMs} ms)`);
    assert.ok(cliNotice, 'wharf status shows the notice');
    assert.ok(uiMs > 0, 'the UI status bar shows the notice');
    assert.ok(dockerMs < 20_000, `docker must get an answer, not hang (${dockerMs} ms)`);
    assert.match(dockerErr, /engine is not answering/, 'docker shows why');
    assert.ok(rec.events.some(({ at, e }) => at - t0 >= detectMs - 3000 && e.name === 'invalidate' && (e.payload as { topic: string }).topic === 'engine'),
      'the core pushes an engine invalidation (the UI and tray refetch on it)');
    await waitFor(async () => {
      const { s: st } = await link.status();
      if (st.notices.some((n) => n.code === 'engine-not-answering')) return undefined;
      const v = await env.docker(['version', '--format', '{{.Server.Version}}'], { viaSocket: true, timeoutMs: 30_000 });
      return v.code === 0 ? true : undefined;
    }, 90_000, 'the engine to answer again after SIGCONT');
    const recoverMs = now() - c0;
    rec.close();
    link.close();
    assert.deepEqual(qemuProcessesFor(env.home), [vm], 'no restart: the same VM');
    const ps = await env.docker(['ps', '--filter', 'name=web', '--format', '{{.State}}']);
    assert.equal(ps.stdout.trim(), 'running');
    assert.equal(await ui.statusBar.getByText(/engine is not answering/).count(), 0, 'the UI notice clears');
    figure('engine-hung', { stopped_ms: 30_000, detect_ms: detectMs, docker_error_ms: dockerMs, slowest_status_ms: slowestStatusMs, cli_status_ms: cliMs, ui_detect_ms: uiMs, recover_ms: recoverMs, restarted: false });
  });

  test('host sleep: a guest clock stepped back an hour is right again within 10 s, in the VM and in containers', async () => {
    const link = await CoreLink.open(env);
    const sh = await link.shell();
    try {
      const behind = Math.floor(Date.now() / 1000) - 3600;
      const stepped = Number((await sh.run(`date -u -s @${behind} >/dev/null; date +%s`)).trim());
      const t0 = now();
      assert.ok(Math.abs(stepped - behind) < 5, `the step took effect (guest said ${stepped})`);
      // The true time lies between the host clock just before the question and
      // just after the answer (a shell round trip takes seconds on a loaded host);
      // how far outside that window the guest's answer falls is its offset.
      const offWindow = (t: number, from: number, to: number) => (t < from ? t - from : t > to ? t - to : 0);
      let offset = 0;
      let polls = 0;
      await waitFor(async () => {
        polls++;
        const from = Math.floor(Date.now() / 1000);
        const g = Number((await sh.run('date +%s')).trim());
        offset = offWindow(g, from, Math.ceil(Date.now() / 1000));
        return Math.abs(offset) <= 2 ? true : undefined;
      }, 30_000, 'the guest clock to be right again');
      const resyncMs = now() - t0;
      assert.ok(resyncMs <= 10_000, `resynced after ${resyncMs} ms`);
      // It was the watch service that put it right (there is no NTP in the guest).
      await waitFor(async () => ((await link.api.engine.logs({ lines: 500 })).some((l) => /clock was off by -?\d+ s/.test(l)) ? true : undefined), 10_000, 'the watch service\'s log line');
      // `docker run` takes many seconds under TCG: the container's `date` ran
      // somewhere between the host's clock just before and just after it.
      const runFrom = Math.floor(Date.now() / 1000);
      const c = await env.docker(['run', '--rm', suite.image, 'date', '+%s']);
      const runTo = Math.ceil(Date.now() / 1000);
      assert.equal(c.code, 0, c.stderr);
      const containerOffset = offWindow(Number(c.stdout.trim()), runFrom, runTo);
      assert.ok(Math.abs(containerOffset) <= 2, `a container sees the right time (${c.stdout.trim()} is ${containerOffset} s outside ${runFrom}..${runTo})`);
      figure('host-sleep', { stepped_back_s: 3600, resync_ms: resyncMs, polls, guest_offset_s: offset, container_offset_s: containerOffset, container_run_s: runTo - runFrom });
    } finally {
      sh.close();
      link.close();
    }
  });

  test('guest disk full: dockerd keeps answering, wharf status and the core\'s engine event say so; docker system prune makes it work again', async () => {
    const link = await CoreLink.open(env);
    // Recording starts before the disk fills: the notice (and its event) may come while the filler still writes.
    const rec = await eventRecorder(env);
    const recordingFrom = now();
    let noticeAt = -1;
    let watching = true;
    const watcher = (async () => {
      while (watching && noticeAt < 0) {
        try {
          const { s } = await link.status();
          if (s.notices.some((n) => n.code === 'disk-full')) noticeAt = now();
        } catch {}
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    try {
      const sh = await link.shell();
      const df = (await sh.run('df -P /data | tail -1')).trim().split(/\s+/);
      sh.close();
      const availBefore = Number(df[3]) * 1024;
      // fallocate fills in seconds (no data is written); dd takes the last bytes.
      const f0 = now();
      const fill = await env.docker(['run', '--name', 'filler', suite.image, 'sh', '-c',
        'i=0; while fallocate -l 256M /fill.$i 2>/dev/null; do i=$((i+1)); done; dd if=/dev/zero of=/fill.tail bs=1M 2>/dev/null; echo filled $i'], { timeoutMs: 600_000 });
      // The disk is full from here on (dd stopped at ENOSPC).
      const t0 = now();
      assert.match(fill.stdout, /filled \d+/, `${fill.stdout}${fill.stderr}`);
      const uiSeen = uiShows(/data disk is full/, t0, 90_000);
      await waitFor(async () => (noticeAt >= 0 ? true : undefined), 60_000, 'a disk-full notice in the engine status');
      // Negative would mean it was seen before dd's last write returned: count that as at once.
      const detectMs = Math.max(0, noticeAt - t0);
      const cli = await status(env, 60_000);
      assert.ok(cli.s.notices.some((n) => n.code === 'disk-full' && /data disk is full.*docker system prune/.test(n.message)), `wharf status says so: ${JSON.stringify(cli.s.notices)}`);
      const a0 = now();
      const v = await env.docker(['ps', '-a', '--format', '{{.Names}}'], { viaSocket: true, timeoutMs: 60_000 });
      const answerMs = now() - a0;
      assert.equal(v.code, 0, `dockerd answers with a full disk: ${v.stderr}`);
      assert.match(v.stdout, /filler/);
      assert.ok(rec.events.some(({ at, e }) => at >= recordingFrom && e.name === 'invalidate' && (e.payload as { topic: string }).topic === 'engine'),
        'the core pushes an engine invalidation, so the UI shows the notice');
      const uiMs = await uiSeen;
      assert.ok(uiMs >= 0, 'the UI status bar says the disk is full');
      const r0 = now();
      const prune = await env.docker(['system', 'prune', '-f'], { timeoutMs: 300_000 });
      assert.equal(prune.code, 0, prune.stderr);
      await waitFor(async () => {
        const { s } = await link.status();
        return s.notices.some((n) => n.code === 'disk-full') ? undefined : true;
      }, 60_000, 'the notice to clear');
      const run = await env.docker(['run', '--rm', '-v', 'afterfull:/v', suite.image, 'sh', '-c', 'echo works > /v/f && cat /v/f']);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout.trim(), 'works');
      const recoverMs = now() - r0;
      figure('disk-full', { filled_bytes: availBefore, fill_ms: t0 - f0, detect_ms: detectMs, ui_detect_ms: uiMs, dockerd_answer_ms: answerMs, recover_ms: recoverMs });
    } finally {
      watching = false;
      await watcher;
      rec.close();
      link.close();
      // Whatever failed above, the cases after this one need a disk with room.
      await env.docker(['rm', '-f', 'filler'], { timeoutMs: 300_000 });
      await env.docker(['system', 'prune', '-f'], { timeoutMs: 300_000 });
    }
  });

  let blobSha = '';
  let blobBytes = 0;
  let lastSynced = 0;

  test('QEMU killed (kill -9) while containers run: error with a reason within 2 s; the disk checks clean; wharf start recovers with volume bytes kept', async () => {
    // 16 MiB of random bytes (as hex text, so it crosses the CLI unchanged), synced before the kill.
    const blob = randomBytes(8 * MiB).toString('hex');
    blobSha = sha256(blob);
    blobBytes = blob.length;
    const put = await env.docker(['run', '-i', '--rm', '-v', 'keep:/v', suite.image, 'sh', '-c', 'cat > /v/blob && sync && sha256sum /v/blob'], { input: blob, timeoutMs: 300_000 });
    assert.equal(put.code, 0, put.stderr);
    assert.equal(put.stdout.split(/\s+/)[0], blobSha, 'the blob arrived whole');
    // The power-cut writer: fsyncs each record, then says so on stdout.
    const w = await env.docker(['run', '-d', '--name', 'writer', '-v', 'pc:/d', suite.image, 'fsync-writer', '/d/log']);
    assert.equal(w.code, 0, w.stderr);
    const follow = spawn('docker', ['-H', `unix://${env.socket}`, 'logs', '-f', 'writer'], { env: env.env, stdio: ['ignore', 'pipe', 'ignore'] });
    let buf = '';
    follow.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      for (const m of buf.matchAll(/synced (\d+)\n/g)) lastSynced = Math.max(lastSynced, Number(m[1]));
      buf = buf.slice(buf.lastIndexOf('\n') + 1);
    });
    await waitFor(async () => (lastSynced >= 50 ? true : undefined), 120_000, 'the writer to sync 50 records');
    const rec = await eventRecorder(env);
    const link = await CoreLink.open(env);
    const vm = qemuPid(env);
    const t0 = now();
    process.kill(vm, 'SIGKILL');
    const uiSeen = ui ? uiShows(/Engine error/, t0, 10_000) : Promise.resolve(-1);
    const synced = lastSynced;
    let statusMs = -1;
    let reason = '';
    while (now() - t0 < 10_000) {
      const { s } = await link.status(5000);
      if (s.vm.state === 'error') { statusMs = now() - t0; reason = s.vm.reason ?? ''; break; }
      await new Promise((r) => setTimeout(r, 50));
    }
    link.close();
    // The CLI prints the same state (its own process start is not part of the detection time).
    const cli = await status(env, 60_000);
    assert.equal(cli.s.vm.state, 'error', 'wharf status says error');
    assert.equal(cli.s.vm.reason, reason, 'with the same reason');
    const ev = rec.events.find(({ e }) => e.name === 'vmState' && (e.payload as { state: string }).state === 'error');
    const eventMs = ev ? ev.at - t0 : -1;
    rec.close();
    await new Promise<void>((r) => { if (follow.exitCode !== null) r(); else { follow.once('exit', () => r()); setTimeout(() => { follow.kill('SIGKILL'); r(); }, 10_000); } });
    lastSynced = Math.max(lastSynced, synced);
    const uiMs = await uiSeen;
    // Judged after the recovery below: a slow detection must not leave the VM
    // down for the cases after this one.
    const detection = () => {
      assert.ok(statusMs >= 0 && statusMs <= 2000, `engine.status (what wharf status prints) shows error within 2 s (took ${statusMs} ms)`);
      assert.ok(eventMs >= 0 && eventMs <= 2000, `the core emits vmState error within 2 s (took ${eventMs} ms)`);
      assert.ok(reason.length > 10, `the error has a reason: "${reason}"`);
      assert.ok(uiMs >= 0 && uiMs <= 2000, `the UI status bar says "Engine error" within 2 s (took ${uiMs} ms)`);
    };

    // e2fsck -n on the real disk sees a journal nobody has replayed yet (the
    // guest replays it at its next boot), so it is reported, not judged. The
    // judgement is made on a sparse copy, after the guest's own boot check.
    const disk = path.join(env.home, 'disks', 'data.img');
    const copy = path.join(os.tmpdir(), `wharf-faults-disk-${process.pid}.img`);
    const f0 = now();
    try {
      execFileSync('cp', ['--sparse=always', disk, copy]);
      const raw = spawnSync('e2fsck', ['-n', disk], { encoding: 'utf8' });
      // What the guest runs before it mounts the disk: preen fixes only what is
      // safe (journal replay, orphan inodes, counters); real damage exits 4.
      const preen = spawnSync('e2fsck', ['-p', copy], { encoding: 'utf8' });
      assert.ok(preen.status === 0 || preen.status === 1, `e2fsck -p (the guest's boot check) must not find damage (exit ${preen.status}):\n${preen.stdout}${preen.stderr}`);
      const fsck = spawnSync('e2fsck', ['-fn', copy], { encoding: 'utf8' });
      assert.equal(fsck.status, 0, `e2fsck -fn after the boot-time preen:\n${fsck.stdout}${fsck.stderr}`);
      figure('qemu-kill-fsck', { raw_e2fsck_n_exit: raw.status ?? -1, preen_exit: preen.status ?? -1, then_e2fsck_fn_exit: fsck.status ?? -1, fsck_ms: now() - f0 });
    } finally {
      fs.rmSync(copy, { force: true });
    }

    const s0 = now();
    const start = await env.wharf(['start'], { timeoutMs: 900_000 });
    assert.equal(start.code, 0, `wharf start after the kill:\n${start.stderr}\n${start.stdout}`);
    const v = await env.docker(['version', '--format', '{{.Server.Version}}'], { viaSocket: true });
    assert.equal(v.code, 0, v.stderr);
    const recoverMs = now() - s0;
    const check = await env.docker(['run', '--rm', '-v', 'keep:/v', suite.image, 'sha256sum', '/v/blob']);
    assert.equal(check.code, 0, check.stderr);
    assert.equal(check.stdout.split(/\s+/)[0], blobSha, 'the volume kept its bytes');
    detection();
    figure('qemu-kill', { detect_status_ms: statusMs, detect_event_ms: eventMs, detect_ui_ms: uiMs, cli_status_ms: cli.ms, recover_ms: recoverMs, bytes_checked: blobBytes, sha256_ok: true });
  });

  test('power cut during a write: every record the writer reported as fsynced survives, whole and in order', async () => {
    assert.ok(lastSynced > 0, 'the previous case ran the writer');
    const r = await env.docker(['run', '--rm', '-v', 'pc:/d', suite.image, 'cat', '/d/log'], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    let good = 0;
    for (const line of lines) {
      const m = /^seq=(\d{8}) sum=([0-9a-f]{8}) \.+$/.exec(line);
      if (!m || line.length !== 63) break;
      const seq = Number(m[1]);
      if (seq !== good + 1) break;
      if (m[2] !== ((seq * 2654435761) % 2 ** 32).toString(16).padStart(8, '0')) break;
      good = seq;
    }
    assert.ok(good >= lastSynced, `records 1..${lastSynced} were fsynced; the file has ${good} whole records in order`);
    figure('power-cut', { fsynced: lastSynced, survived: good, lost_after_fsync: Math.max(0, lastSynced - good), bytes_checked: r.stdout.length });
    await env.docker(['rm', '-f', 'writer']);
  });
}
