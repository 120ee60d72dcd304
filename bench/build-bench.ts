/**
 * Build from the UI vs `docker build`, same context, same engine, same run:
 * the UI path is the contract call the Images view makes (imageTools.build over
 * the control socket, BuildKit through dockerode, progress events decoded),
 * timed from the call to its 'stream.end'; the CLI path is the unchanged
 * docker CLI with buildx (BuildKit). Both build without cache, alternating.
 */
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ControlClient } from '../src-main/core/transports/control-client.js';
import { WharfTestEnv } from '../test/support/wharf-env.js';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function makeContext(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-build-bench-'));
  fs.copyFileSync('/bin/busybox', path.join(dir, 'busybox'));
  fs.mkdirSync(path.join(dir, 'data'));
  // 200 files, 16 MiB: the context upload is part of what is measured.
  for (let i = 0; i < 200; i++) fs.writeFileSync(path.join(dir, 'data', `f${i}.bin`), crypto.randomBytes(80 * 1024 + i));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), [
    'FROM scratch',
    'COPY busybox /bin/busybox',
    'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
    'COPY data /data',
    'RUN cat /data/* | md5sum > /sum && ls /data | wc -l',
    '',
  ].join('\n'));
  return dir;
}

async function uiBuild(client: ControlClient, context: string, tag: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  const res = await client.call('imageTools.build', [{ context, tag, noCache: true }]);
  if (!res.ok) throw new Error(`imageTools.build: ${res.error.message}`);
  const { streamId } = res.result as { streamId: string };
  await new Promise<void>((resolve, reject) => {
    const off = client.listen((e) => {
      const p = e.payload as { streamId?: string; error?: string };
      if (e.name === 'stream.end' && p.streamId === streamId) {
        off();
        if (p.error) reject(new Error(p.error));
        else resolve();
      }
    });
  });
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** BuildKit through buildx where the CLI has it; else the engine's classic builder (what `docker build` does then). */
async function cliBuild(env: WharfTestEnv, context: string, tag: string, buildkit: boolean): Promise<number> {
  const args = ['--context', 'wharf', 'build', '--no-cache', ...(buildkit ? ['--progress', 'plain'] : []), '-t', tag, context];
  const r = await env.run('docker', args, { env: { DOCKER_BUILDKIT: buildkit ? '1' : '0' }, timeoutMs: 900_000 });
  if (r.code !== 0) throw new Error(`docker build: ${r.stderr.slice(-800)}`);
  return r.seconds;
}

async function main(): Promise<void> {
  let buildkit = true;
  try {
    execFileSync('docker', ['buildx', 'version'], { stdio: 'ignore' });
  } catch {
    // Debian bookworm has no docker-buildx package (trixie does): the CLI then builds with the
    // engine's classic builder, and the ratio compares BuildKit (UI) with that, said in the output.
    buildkit = false;
  }
  const cliLabel = buildkit ? 'docker build (buildx, BuildKit)' : 'docker build (no buildx here: classic builder)';
  const env = new WharfTestEnv('build-bench');
  try {
    const start = await env.wharf(['start'], { timeoutMs: 20 * 60_000 });
    if (start.code !== 0) throw new Error(`wharf start failed: ${start.stderr}`);
    const context = makeContext();
    const client = await ControlClient.connect(path.join(env.home, 'run', 'control.sock'));
    // One warm-up of each, so neither side pays for first-use costs (BuildKit state, the buildx driver).
    await uiBuild(client, context, 'bench/ui:warm');
    await cliBuild(env, context, 'bench/cli:warm', buildkit);
    const ui: number[] = [];
    const cli: number[] = [];
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) { ui.push(await uiBuild(client, context, `bench/ui:${i}`)); cli.push(await cliBuild(env, context, `bench/cli:${i}`, buildkit)); }
      else { cli.push(await cliBuild(env, context, `bench/cli:${i}`, buildkit)); ui.push(await uiBuild(client, context, `bench/ui:${i}`)); }
    }
    client.close();
    const fmt = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
    console.log(`build, no cache, 16 MiB context in 200 files, ${runs} runs each (alternating), one warm-up each`);
    console.log(`  UI (imageTools.build, BuildKit):  ${fmt(ui)} s  median ${median(ui).toFixed(2)} s`);
    console.log(`  ${cliLabel}:  ${fmt(cli)} s  median ${median(cli).toFixed(2)} s`);
    console.log(`  ratio UI / CLI: ${(median(ui) / median(cli)).toFixed(2)}`);
    fs.rmSync(context, { recursive: true, force: true });
  } finally {
    await env.wharf(['stop'], { timeoutMs: 300_000 });
    env.cleanup();
  }
}

await main();
