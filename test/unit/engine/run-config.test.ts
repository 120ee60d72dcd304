import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runOptionsSchema } from '../../../src-main/core/contract/services.js';
import { toCreateOptions } from '../../../src-main/core/engine/run-config.js';

test('run options become a docker create body like `docker run -p -v -e --name`', () => {
  const o = runOptionsSchema.parse({
    image: 'nginx:latest', name: 'web', cmd: ['nginx', '-g', 'daemon off;'], env: ['A=1'],
    ports: [{ hostPort: 8080, containerPort: 80 }, { hostIp: '127.0.0.1', hostPort: 8443, containerPort: 80 }, { hostPort: 53, containerPort: 53, protocol: 'udp' }],
    volumes: [{ source: 'data', target: '/data' }, { source: '/srv/conf', target: '/etc/nginx', readOnly: true }],
  });
  assert.deepEqual(toCreateOptions(o), {
    Image: 'nginx:latest',
    name: 'web',
    Cmd: ['nginx', '-g', 'daemon off;'],
    Env: ['A=1'],
    ExposedPorts: { '80/tcp': {}, '53/udp': {} },
    HostConfig: {
      PortBindings: {
        '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }, { HostIp: '127.0.0.1', HostPort: '8443' }],
        '53/udp': [{ HostIp: '0.0.0.0', HostPort: '53' }],
      },
      Binds: ['data:/data', '/srv/conf:/etc/nginx:ro'],
    },
  });
});

test('no cmd and no name leave the image defaults', () => {
  const body = toCreateOptions(runOptionsSchema.parse({ image: 'busybox' }));
  assert.equal('Cmd' in body, false);
  assert.equal('name' in body, false);
});
