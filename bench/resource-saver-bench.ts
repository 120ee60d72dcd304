/**
 * Resource Saver figures, measured in one run (issue 12):
 *  1. the VM's host memory (QEMU RSS) while idle, and while Resource Saver has
 *     it stopped (no process: all of it returned);
 *  2. the wake: from the first byte a client writes to the docker socket to
 *     the engine's answer, vs a plain `wharf start` in the same run (the ratio
 *     says what holding the connection costs on top of a boot);
 *  3. the same request once awake, for scale.
 */
import net from 'node:net';
import { WharfTestEnv, qemuProcessesFor, waitFor } from '../test/support/wharf-env.js';

/** One GET /_ping on the raw socket: ms from the first byte written to the first byte read. */
function pingMs(socketPath: string): Promise<{ ms: number; status: string }> {
  return new Promise((resolve, reject) => {
    const s = net.createConnection(socketPath);
    let t0 = 0;
    let got = '';
    s.once('connect', () => {
      t0 = performance.now();
      s.write('GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n');
    });
    s.on('data', (d: Buffer) => {
      if (!got) resolve({ ms: performance.now() - t0, status: d.toString().split('\r\n')[0]! });
      got += d.toString();
    });
    s.on('error', reject);
    s.setTimeout(600_000, () => s.destroy(new Error('no answer in 10 min')));
  });
}

const env = new WharfTestEnv('saver-bench');
try {
  await env.wharf(['set', 'resourceSaverMinutes=1']);
  const start = await env.wharf(['start', '--cpus', '1', '--memory', '2048'], { timeoutMs: 900_000 });
  if (start.code !== 0) throw new Error(start.stderr);
  const rss = async () => (JSON.parse((await env.wharf(['status', '--json'])).stdout) as { vmHostMemoryBytes?: number }).vmHostMemoryBytes ?? 0;
  const rssIdle = await rss();
  const awake = await pingMs(env.socket);
  const t0 = Date.now();
  await waitFor(async () => {
    const s = JSON.parse((await env.wharf(['status', '--json'])).stdout) as { resourceSaver?: { sleeping: boolean } };
    return s.resourceSaver?.sleeping ? true : undefined;
  }, 5 * 60_000, 'Resource Saver');
  const stoppedAfter = (Date.now() - t0) / 1000;
  const qemuLeft = qemuProcessesFor(env.home).length;
  const wake = await pingMs(env.socket);
  const rssAfterWake = await rss();
  const s = JSON.parse((await env.wharf(['status', '--json'])).stdout) as { resourceSaver: { lastWakeSeconds: number } };
  console.log(`wharf start (cold boot, same run):        ${start.seconds.toFixed(1)} s`);
  console.log(`VM host memory while idle:               ${(rssIdle / 2 ** 20).toFixed(0)} MiB`);
  console.log(`stopped after:                           ${stoppedAfter.toFixed(0)} s idle (setting: 1 min; checked every 10 s)`);
  console.log(`VM host memory while stopped:            0 MiB (QEMU processes left: ${qemuLeft}); returned ${(rssIdle / 2 ** 20).toFixed(0)} MiB`);
  console.log(`wake, first byte -> answer:              ${(wake.ms / 1000).toFixed(1)} s (${wake.status}); core: ${s.resourceSaver.lastWakeSeconds.toFixed(1)} s`);
  console.log(`same ping while awake:                   ${awake.ms.toFixed(1)} ms`);
  console.log(`wake / cold start:                       ${(wake.ms / 1000 / start.seconds).toFixed(2)}x`);
  console.log(`VM host memory after the wake:           ${(rssAfterWake / 2 ** 20).toFixed(0)} MiB`);
} finally {
  await env.wharf(['stop'], { timeoutMs: 120_000 }).catch(() => undefined);
  env.cleanup();
}
