import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { WharfTestEnv, qemuProcessesFor, waitFor } from '../support/wharf-env.js';
import { buildBusyboxImage } from '../support/test-image.js';
import { startLoggingProxy, type LoggingProxy } from '../support/logging-proxy.js';
import { buildBusyboxLayer } from '../e2e/support/busybox-image.js';
import { freePort, pushImage, startRegistry } from '../e2e/support/registry.js';
import { prepareSshClientDir, sshdBinary, startPrivateSshd, type PrivateSshd } from '../support/sshd.js';
import { ControlClient } from '../../src-main/core/transports/control-client.js';
import { typedClient } from '../../src-main/cli/connect.js';

/**
 * Daily-work engine behaviour (issue 12 §1 and the engine half of §2), on the
 * real VM through the unchanged docker CLI: host.docker.internal from every
 * network, --memory-swap in the container's cgroup, proxies for pulls and for
 * containers, and Resource Saver stopping and waking the VM.
 */
describe('daily engine behaviour', { timeout: 45 * 60_000 }, () => {
  // ssh:// contexts: the core spawns `ssh` from its PATH, which it inherits from the first
  // wharf command, so the client wrapper (the private sshd's ~/.ssh/config) is on PATH from the start.
  const sshClient = prepareSshClientDir();
  const env = new WharfTestEnv('daily', { PATH: `${sshClient.clientBinDir}:${process.env.PATH ?? ''}` });
  let sshd: PrivateSshd | undefined;
  let image = '';
  let hostServer: net.Server;
  let hostPort = 0;
  let proxy: LoggingProxy;
  let registry: ChildProcess | undefined;
  let registryPort = 0;
  const registryName = () => `wharf-registry.test:${registryPort}`;

  before(async () => {
    // A service on the host's loopback only: containers must reach it as host.docker.internal.
    hostServer = net.createServer((s) => s.end('hello-from-the-host\n'));
    await new Promise<void>((r) => hostServer.listen(0, '127.0.0.1', r));
    hostPort = (hostServer.address() as net.AddressInfo).port;
    // A registry on loopback, reachable from the VM *only* through the proxy:
    // its name resolves nowhere, the proxy routes it to 127.0.0.1.
    registryPort = await freePort();
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wharf-daily-reg-'));
    registry = await startRegistry(work, registryPort);
    await pushImage(registryPort, 'proxied/busybox', '1', buildBusyboxLayer());
    proxy = await startLoggingProxy({ [`wharf-registry.test:${registryPort}`]: registryPort });
    const set = await env.wharf(['set', 'resourceSaverMinutes=0', `daemonJson=${JSON.stringify({ 'insecure-registries': [`wharf-registry.test:${registryPort}`] })}`]);
    assert.equal(set.code, 0, set.stderr);
    const r = await env.wharf(['start', '--cpus', '2', '--memory', '2048'], { timeoutMs: 900_000 });
    assert.equal(r.code, 0, `wharf start failed:\n${r.stderr}\n${r.stdout}`);
    image = await buildBusyboxImage(env);
  });

  after(async () => {
    await sshd?.stop();
    await env.wharf(['stop'], { timeoutMs: 120_000 }).catch(() => undefined);
    env.cleanup();
    hostServer?.close();
    await proxy?.close();
    registry?.kill();
  });

  const reachHost = async (name: string, network?: string) => {
    const args = ['run', '--rm', ...(network ? ['--network', network] : []), image, 'sh', '-c', `nslookup ${name}; nc ${name} ${hostPort} </dev/null`];
    const r = await env.docker(args, { timeoutMs: 120_000 });
    assert.equal(r.code, 0, `${args.join(' ')}:\n${r.stderr}\n${r.stdout}`);
    assert.match(r.stdout, /Address:?\s+10\.0\.2\.2/, `${name} resolves to the host's address:\n${r.stdout}`);
    assert.match(r.stdout, /hello-from-the-host/, `the host's 127.0.0.1:${hostPort} answered:\n${r.stdout}`);
  };

  test('host.docker.internal reaches a server on the host loopback from the default bridge', async () => {
    await reachHost('host.docker.internal');
    await reachHost('gateway.docker.internal');
  });

  test('…and from a user network (through its embedded DNS)', async () => {
    assert.equal((await env.docker(['network', 'create', 'daily-net'])).code, 0);
    await reachHost('host.docker.internal', 'daily-net');
    await reachHost('gateway.docker.internal', 'daily-net');
  });

  test('--add-host x:host-gateway maps to the same address', async () => {
    const r = await env.docker(['run', '--rm', '--add-host', 'myhost:host-gateway', image, 'sh', '-c', `grep myhost /etc/hosts; nc myhost ${hostPort} </dev/null`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^10\.0\.2\.2\s+myhost/m);
    assert.match(r.stdout, /hello-from-the-host/);
  });

  test('other names still resolve through the guest resolver (and unknown ones fail cleanly)', async () => {
    const r = await env.docker(['run', '--rm', image, 'sh', '-c', 'cat /etc/resolv.conf; nslookup does-not-exist.invalid; echo rc=$?']);
    assert.match(r.stdout, /nameserver 10\.0\.2\.15/);
    assert.match(r.stdout, /rc=1/);
  });

  test('--memory-swap is honoured: no warning, and it shows in the container\'s cgroup', async () => {
    const r = await env.docker(['run', '--rm', '--memory', '64m', '--memory-swap', '192m', image, 'cat', '/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory.swap.max']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /swap limit/i, 'dockerd must not drop the swap limit');
    assert.deepEqual(r.stdout.trim().split('\n'), [String(64 * 2 ** 20), String(128 * 2 ** 20)]);
    const info = await env.docker(['info', '--format', '{{.SwapLimit}}']);
    assert.equal(info.stdout.trim(), 'true');
  });

  test('engine proxies: set and applied (engine restart), in dockerd\'s environment, and a pull goes through the proxy', async () => {
    const proxyUrl = `http://127.0.0.1:${proxy.port}`;
    const set = await env.wharf(['set', `httpProxy=${proxyUrl}`, `httpsProxy=${proxyUrl}`, 'noProxy=localhost,.internal.example']);
    assert.equal(set.code, 0, set.stderr);
    const restart = await env.wharf(['restart'], { timeoutMs: 900_000 });
    assert.equal(restart.code, 0, restart.stderr);
    const environ = await env.wharf(['shell', '-c', 'tr "\\0" "\\n" < /proc/$(cat /run/docker.pid)/environ | grep PROXY']);
    assert.match(environ.stdout, new RegExp(`HTTP_PROXY=http://host.docker.internal:${proxy.port}`));
    assert.match(environ.stdout, new RegExp(`HTTPS_PROXY=http://host.docker.internal:${proxy.port}`));
    assert.match(environ.stdout, /NO_PROXY=localhost,\.internal\.example/);
    const info = await env.docker(['info', '--format', '{{.HTTPProxy}} {{.HTTPSProxy}} {{.NoProxy}}']);
    assert.match(info.stdout, /host\.docker\.internal/);
    const before = proxy.log.length;
    const pull = await env.docker(['pull', `${registryName()}/proxied/busybox:1`], { timeoutMs: 300_000 });
    assert.equal(pull.code, 0, `pull through the proxy failed:\n${pull.stderr}\n${pull.stdout}\nproxy log:\n${proxy.log.join('\n')}`);
    const seen = proxy.log.slice(before);
    console.log(`# proxy log during the pull:\n#   ${seen.join('\n#   ')}`);
    assert.ok(seen.some((l) => l.includes(`${registryName()}/v2/`)), `the proxy saw the registry requests:\n${seen.join('\n')}`);
  });

  test('container proxies: written to the CLI\'s config.json and handed to new containers; nothing restarts', async () => {
    const set = await env.wharf(['set', 'containerHttpProxy=http://127.0.0.1:3128', 'containerNoProxy=localhost']);
    assert.equal(set.code, 0, set.stderr);
    const cfg = await waitFor(async () => {
      const c = JSON.parse(fs.readFileSync(path.join(env.dockerConfig, 'config.json'), 'utf8')) as { proxies?: { default?: Record<string, string> } };
      return c.proxies?.default?.httpProxy ? c : undefined;
    }, 10_000, 'config.json proxies');
    assert.deepEqual(cfg.proxies!.default, { httpProxy: 'http://host.docker.internal:3128', noProxy: 'localhost' });
    const r = await env.docker(['run', '--rm', image, 'env']);
    assert.match(r.stdout, /^HTTP_PROXY=http:\/\/host\.docker\.internal:3128$/m);
    assert.match(r.stdout, /^NO_PROXY=localhost$/m);
    const status = JSON.parse((await env.wharf(['status', '--json'])).stdout) as { vm: { state: string } };
    assert.equal(status.vm.state, 'running');
  });

  test('ssh:// context through a real sshd on loopback reaches the engine; unreachable and denied say so', { skip: process.env.WHARF_TEST_DAILY_UI !== '1' ? 'not yet run on the real VM: WHARF_TEST_DAILY_UI=1 runs it' : sshdBinary() ? false : 'needs sshd: apt-get install openssh-server' }, async () => {
    // The "remote" machine is this host: its sshd hands each session DOCKER_HOST=Wharf's socket,
    // so `docker system dial-stdio` there reaches this Wharf's engine, as a remote engine would.
    sshd = await startPrivateSshd(sshClient.dir, { dockerHost: `unix://${env.socket}` });
    const name = 'daily-ssh-sleeper';
    assert.equal((await env.docker(['run', '-d', '--name', name, image, 'sleep', '600'])).code, 0);
    try {
      await sshCases(sshd, name);
    } finally {
      // Resource Saver, next, only sleeps with no container running.
      await env.docker(['rm', '-f', name]);
    }
  });

  const sshCases = async (sshd: PrivateSshd, name: string) => {
    const ctx = async (ctxName: string, host: string) => {
      const r = await env.run('docker', ['context', 'create', ctxName, '--docker', `host=${host}`]);
      assert.equal(r.code, 0, r.stderr);
    };
    await ctx('over-ssh', `ssh://${sshd.user}@127.0.0.1:${sshd.port}`);
    await ctx('ssh-denied', `ssh://wharf-nobody@127.0.0.1:${sshd.port}`);
    await ctx('ssh-unreachable', `ssh://${sshd.user}@127.0.0.1:${sshd.closedPort}`);
    // The unchanged docker CLI through the same context: the sshd setup itself is right.
    const cli = await env.run('docker', ['--context', 'over-ssh', 'ps', '--format', '{{.Names}}'], { timeoutMs: 120_000 });
    assert.equal(cli.code, 0, `docker --context over-ssh ps:\n${cli.stderr}\nsshd log:\n${sshd.log()}`);
    assert.match(cli.stdout, new RegExp(`^${name}$`, 'm'));

    const t0 = Date.now();
    const check = await env.wharf(['context', 'check', 'over-ssh'], { timeoutMs: 120_000 });
    assert.equal(check.code, 0, `wharf context check over-ssh:\n${check.stderr}\nsshd log:\n${sshd.log()}`);
    assert.match(check.stdout, /over-ssh: docker \d+\.\d+\.\d+\S* answers/);
    console.log(`FIGURE ssh-context check_s=${((Date.now() - t0) / 1000).toFixed(1)}`);

    const denied = await env.wharf(['context', 'check', 'ssh-denied'], { timeoutMs: 120_000 });
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /permission denied/i);
    assert.match(denied.stderr, /Permission denied \(publickey\)/, 'ssh\'s own words are kept');
    const unreachable = await env.wharf(['context', 'check', 'ssh-unreachable'], { timeoutMs: 120_000 });
    assert.notEqual(unreachable.code, 0);
    assert.match(unreachable.stderr, /host unreachable/);
    assert.match(unreachable.stderr, /Connection refused/);
    console.log(`# denied: ${denied.stderr.trim()}\n# unreachable: ${unreachable.stderr.trim()}`);

    // The views follow the context: the containers list comes through ssh.
    const use = await env.wharf(['context', 'use', 'over-ssh'], { timeoutMs: 120_000 });
    assert.equal(use.code, 0, use.stderr);
    const conn = await ControlClient.connect(path.join(env.home, 'run', 'control.sock'));
    try {
      const api = typedClient(conn);
      const listed = await api.containers.list();
      assert.ok(listed.some((c) => c.name === name), `the ssh context lists ${name}: ${JSON.stringify(listed.map((c) => c.name))}`);
      assert.match((await env.wharf(['context', 'ls'])).stdout, /^\* over-ssh\s+ssh/m);
    } finally {
      await env.wharf(['context', 'use', 'wharf']);
      conn.close();
    }
    assert.match(sshd.log(), /Accepted publickey for /);
  };

  test('Resource Saver (1 minute): the idle VM stops and gives its memory back; docker ps wakes it', async () => {
    const set = await env.wharf(['set', 'resourceSaverMinutes=1']);
    assert.equal(set.code, 0, set.stderr);
    const pidsBefore = qemuProcessesFor(env.home);
    assert.ok(pidsBefore.length > 0);
    const statusBefore = JSON.parse((await env.wharf(['status', '--json'])).stdout) as { vmHostMemoryBytes: number };
    const rssBefore = statusBefore.vmHostMemoryBytes;
    const t0 = Date.now();
    const slept = await waitFor(async () => {
      const s = JSON.parse((await env.wharf(['status', '--json'])).stdout) as { vm: { state: string; resourceSaver?: boolean }; resourceSaver?: { sleeping: boolean; memoryReturnedBytes?: number } };
      return s.resourceSaver?.sleeping ? s : undefined;
    }, 5 * 60_000, 'Resource Saver to stop the VM');
    const idleSeconds = (Date.now() - t0) / 1000;
    assert.equal(slept.vm.state, 'stopped');
    assert.equal(slept.vm.resourceSaver, true);
    assert.deepEqual(qemuProcessesFor(env.home), [], 'the VM process is gone, so is its memory');
    assert.ok(fs.existsSync(env.socket), 'the docker socket stays, to wake the VM');
    const human = await env.wharf(['status']);
    assert.match(human.stdout, /Resource Saver/);
    // The waking connection: docker ps simply takes longer.
    const ps = await env.docker(['ps'], { timeoutMs: 600_000 });
    assert.equal(ps.code, 0, `docker ps after Resource Saver:\n${ps.stderr}`);
    assert.match(ps.stdout, /CONTAINER ID/);
    const after = JSON.parse((await env.wharf(['status', '--json'])).stdout) as { vm: { state: string }; vmHostMemoryBytes: number; resourceSaver: { sleeping: boolean; lastWakeSeconds: number } };
    assert.equal(after.vm.state, 'running');
    assert.equal(after.resourceSaver.sleeping, false);
    console.log(`FIGURE resource-saver idle_to_stop_s=${idleSeconds.toFixed(0)} vm_rss_before_mib=${(rssBefore / 2 ** 20).toFixed(0)} vm_rss_while_stopped_mib=0 returned_mib=${((slept.resourceSaver?.memoryReturnedBytes ?? 0) / 2 ** 20).toFixed(0)} wake_docker_ps_s=${ps.seconds.toFixed(1)} wake_core_s=${after.resourceSaver.lastWakeSeconds.toFixed(1)} vm_rss_after_wake_mib=${(after.vmHostMemoryBytes / 2 ** 20).toFixed(0)}`);
    // Back to normal for whatever runs next.
    await env.wharf(['set', 'resourceSaverMinutes=0']);
  });
});
