import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { WharfTestEnv } from '../support/wharf-env.js';
import { buildBusyboxImage } from '../support/test-image.js';

/**
 * Container networking in the real VM, which start-time and throughput levers
 * (kernel options, iptables setup) must not change: user networks with DNS,
 * --internal isolation, and the way out to the host.
 */
describe('container networks', { timeout: 30 * 60_000 }, () => {
  const env = new WharfTestEnv('networks');
  let image = '';
  let hostServer: net.Server;
  let hostPort = 0;

  before(async () => {
    // A host service the guest reaches as host.docker.internal (QEMU's 10.0.2.2 -> host loopback).
    hostServer = net.createServer((c) => c.end('hello-from-host\n'));
    await new Promise<void>((r) => hostServer.listen(0, '127.0.0.1', r));
    hostPort = (hostServer.address() as net.AddressInfo).port;
    const r = await env.wharf(['start'], { timeoutMs: 900_000 });
    assert.equal(r.code, 0, r.stderr);
    image = await buildBusyboxImage(env);
  });
  after(async () => {
    await env.docker(['rm', '-f', 'srv', 'isrv']);
    await env.docker(['network', 'rm', 'appnet', 'isolated']);
    await env.wharf(['stop'], { timeoutMs: 120_000 });
    env.cleanup();
    hostServer.close();
  });

  const serve = (name: string, network: string, text: string) =>
    env.docker(['run', '-d', '--name', name, '--network', network, image, 'sh', '-c', `while :; do echo ${text} | nc -l -p 80; done`]);
  /** nc from a new container on `network`; retries while the server container starts. */
  const fetch = async (network: string, host: string, port: number, tries = 10) => {
    let last = { code: null as number | null, stdout: '', stderr: '' };
    for (let i = 0; i < tries; i++) {
      last = await env.docker(['run', '--rm', '--network', network, '--add-host', 'host.docker.internal:host-gateway', image, 'nc', '-w', '5', host, String(port)]);
      if (last.code === 0 && last.stdout.trim()) return last;
      await new Promise((r) => setTimeout(r, 1000));
    }
    return last;
  };

  test('containers on a user network reach each other by name', async () => {
    assert.equal((await env.docker(['network', 'create', 'appnet'])).code, 0);
    assert.equal((await serve('srv', 'appnet', 'hello-from-srv')).code, 0);
    const r = await fetch('appnet', 'srv', 80);
    assert.equal(r.stdout.trim(), 'hello-from-srv', r.stderr);
  });

  test('the default bridge reaches a host service through host.docker.internal', async () => {
    const r = await fetch('bridge', 'host.docker.internal', hostPort);
    assert.equal(r.stdout.trim(), 'hello-from-host', r.stderr);
  });

  test('an --internal network connects its containers but not the host or the outside', async () => {
    assert.equal((await env.docker(['network', 'create', '--internal', 'isolated'])).code, 0);
    assert.equal((await serve('isrv', 'isolated', 'hello-inside')).code, 0);
    assert.equal((await fetch('isolated', 'isrv', 80)).stdout.trim(), 'hello-inside');
    const out = await fetch('isolated', '10.0.2.2', hostPort, 1);
    assert.notEqual(out.stdout.trim(), 'hello-from-host', 'an internal network must not reach the host');
  });

  test('under TCG the rules above came through the unrandomized iptables, and dockerd keeps its ASLR', async () => {
    const status = JSON.parse((await env.wharf(['status', '--json'])).stdout) as { accelerator?: string };
    const subnet = (await env.docker(['network', 'inspect', 'appnet', '--format', '{{(index .IPAM.Config 0).Subnet}}'])).stdout.trim();
    const r = await env.wharf(['shell', '-c', 'readlink /usr/sbin/iptables; cat /proc/$(cat /run/docker.pid)/personality; iptables -t nat -S POSTROUTING']);
    assert.equal(r.code, 0, r.stderr);
    const [link, persona, ...nat] = r.stdout.trim().split('\n');
    assert.equal(link, status.accelerator === 'tcg' ? '/usr/lib/wharf/bin/xtables-norandom' : 'xtables-nft-multi');
    assert.equal(Number.parseInt(persona!, 16) & 0x0040000, 0, 'dockerd runs with address-space randomization');
    assert.ok(nat.some((l) => l.includes(`-s ${subnet}`) && l.includes('MASQUERADE')), `appnet's masquerade rule: ${nat.join(' / ')}`);
  });

  test('under TCG iptables calls go through the fork server, with the exit codes and messages of an exec', async () => {
    const status = JSON.parse((await env.wharf(['status', '--json'])).stdout) as { accelerator?: string };
    if (status.accelerator !== 'tcg') return;
    // The server is the one process with the preload mapped; while it is stopped a call waits for it.
    const script = [
      'srv=$(grep -l xtables-forkserver.so /proc/[0-9]*/maps | cut -d/ -f3)',
      'echo "server=$(echo $srv | wc -w) exe=$(readlink /proc/$srv/exe) sock=$(stat -c %a /run/wharf/xtables.sock)"',
      'kill -STOP $srv',
      '(iptables -S FORWARD > /tmp/fwd; echo $? > /tmp/fwd.rc) &',
      'sleep 2; echo "while stopped: $(cat /tmp/fwd.rc 2>/dev/null || echo waiting)"',
      'kill -CONT $srv; wait',
      'echo "after: $(cat /tmp/fwd.rc) $(grep -c DOCKER /tmp/fwd)"',
      'iptables -C FORWARD -j NO-SUCH-CHAIN 2>/tmp/e1; echo "served: $? $(tr \'\\n\' \' \' < /tmp/e1)"',
      'WHARF_XTABLES_SERVE=off iptables -C FORWARD -j NO-SUCH-CHAIN 2>/tmp/e2; echo "exec: $? $(tr \'\\n\' \' \' < /tmp/e2)"',
    ].join('\n');
    const r = await env.wharf(['shell', '-c', script]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], 'server=1 exe=/usr/sbin/xtables-nft-multi sock=600');
    assert.equal(lines[1], 'while stopped: waiting', 'a call must wait for the stopped server: it runs there, not by exec');
    assert.match(lines[2]!, /^after: 0 [1-9]\d*$/, 'the call completes once the server runs, and lists docker\'s chains');
    const served = lines[3]!.replace(/^served: /, '').trim();
    assert.equal(served, lines[4]!.replace(/^exec: /, '').trim(), 'the served call exits and complains as the exec does');
    assert.match(served, /^[1-9]\d* /, served);
  });
});
