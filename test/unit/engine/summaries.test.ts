import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerInfo, ImageInfo } from 'dockerode';
import {
  containerName, isDangling, mapPorts, toContainerSummary, toImageSummary, toVolumeSummary, volumeUsageFromDf,
} from '../../../src-main/core/engine/summaries.js';

function info(over: Partial<ContainerInfo>): ContainerInfo {
  return {
    Id: 'a'.repeat(64), Names: ['/web'], Image: 'nginx:latest', ImageID: 'sha256:img', Command: 'nginx',
    Created: 1700000000, Ports: [], Labels: {}, State: 'running', Status: 'Up 2 minutes',
    HostConfig: { NetworkMode: 'bridge' }, NetworkSettings: { Networks: {} }, Mounts: [],
    ...over,
  } as ContainerInfo;
}

test('container summary: name without slash, compose labels, state, created', () => {
  const s = toContainerSummary(info({
    Labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'db', other: 'x' },
  }));
  assert.equal(s.name, 'web');
  assert.equal(s.composeProject, 'shop');
  assert.equal(s.composeService, 'db');
  assert.equal(s.state, 'running');
  assert.equal(s.status, 'Up 2 minutes');
  assert.equal(s.created, 1700000000);
  assert.deepEqual(s.labels, { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'db', other: 'x' });
});

test('container summary: no compose keys when unlabelled; unknown state becomes dead', () => {
  const s = toContainerSummary(info({ State: 'weird' }));
  assert.equal('composeProject' in s, false);
  assert.equal('composeService' in s, false);
  assert.equal(s.state, 'dead');
});

test('container name prefers the own name over legacy link aliases', () => {
  assert.equal(containerName(['/db/alias', '/db'], 'x'), 'db');
  assert.equal(containerName([], 'abcdef0123456789'), 'abcdef012345');
});

test('ports: published only, IPv4/IPv6 pair collapsed, protocol kept, sorted', () => {
  const ports = mapPorts([
    { IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
    { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
    { IP: '127.0.0.1', PrivatePort: 53, PublicPort: 5353, Type: 'udp' },
    { PrivatePort: 443, Type: 'tcp' } as never, // exposed, not published
  ]);
  assert.deepEqual(ports, [
    { hostIp: '127.0.0.1', hostPort: 5353, containerPort: 53, protocol: 'udp' },
    { hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
  ]);
});

test('image summary: tags, dangling, containers counted from the container list', () => {
  const img = { Id: 'sha256:img', RepoTags: ['nginx:latest', 'nginx:1'], Size: 100, Created: 5 } as ImageInfo;
  const s = toImageSummary(img, [{ ImageID: 'sha256:img' }, { ImageID: 'sha256:other' }, { ImageID: 'sha256:img' }]);
  assert.deepEqual(s, { id: 'sha256:img', repoTags: ['nginx:latest', 'nginx:1'], size: 100, created: 5, containers: 2, dangling: false });
  const d = toImageSummary({ ...img, RepoTags: ['<none>:<none>'] } as ImageInfo, []);
  assert.equal(d.dangling, true);
  assert.deepEqual(d.repoTags, []);
  assert.equal(isDangling(null), true);
  assert.equal(isDangling([]), true);
});

test('volume summary: size from df, usedBy from mounts, -1 when unknown', () => {
  const usage = volumeUsageFromDf({
    Volumes: [
      { Name: 'data', UsageData: { Size: 4096, RefCount: 1 } },
      { Name: 'cold', UsageData: { Size: -1, RefCount: 0 } },
    ],
  });
  const containers = [
    { Id: '1', Names: ['/b'], Mounts: [{ Type: 'volume', Name: 'data' }] },
    { Id: '2', Names: ['/a'], Mounts: [{ Type: 'volume', Name: 'data' }, { Type: 'bind', Name: '' }] },
    { Id: '3', Names: ['/c'], Mounts: [{ Type: 'bind', Source: '/data' }] },
  ] as never;
  const v = toVolumeSummary({ Name: 'data', Driver: 'local', Mountpoint: '/m', Labels: {}, CreatedAt: 't' }, usage, containers);
  assert.deepEqual(v, { name: 'data', driver: 'local', mountpoint: '/m', size: 4096, usedBy: ['a', 'b'], labels: {}, createdAt: 't' });
  assert.equal(toVolumeSummary({ Name: 'cold', Driver: 'local', Mountpoint: '/m', Labels: null as never }, usage, []).size, -1);
  assert.equal(toVolumeSummary({ Name: 'new', Driver: 'local', Mountpoint: '/m', Labels: {} }, usage, []).size, -1);
  assert.equal(volumeUsageFromDf(null).size, 0);
});
