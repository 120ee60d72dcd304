import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flattenGroups, groupByProject } from '../../../src-renderer/views/containers/ContainersView.js';
import type { ContainerSummary } from '../../../src-main/core/contract/index.js';

function c(name: string, project?: string): ContainerSummary {
  return { id: name, name, image: 'i', state: 'exited', status: '', created: 0, ports: [], labels: {}, composeProject: project };
}

test('flattening for the windowed table keeps group headers before their rows', () => {
  const groups = groupByProject([c('b'), c('web', 'shop'), c('a'), c('db', 'shop')]);
  const flat = flattenGroups(groups, new Set());
  assert.deepEqual(flat.map((i) => (i.kind === 'group' ? `[${i.group.project ?? 'standalone'}]` : i.c.name)), ['[shop]', 'db', 'web', '[standalone]', 'a', 'b']);
});

test('a collapsed project keeps its header and hides its rows', () => {
  const groups = groupByProject([c('web', 'shop'), c('a')]);
  const flat = flattenGroups(groups, new Set(['shop']));
  assert.deepEqual(flat.map((i) => (i.kind === 'group' ? `[${i.group.project ?? 'standalone'}]` : i.c.name)), ['[shop]', '[standalone]', 'a']);
});

test('a single standalone group has no header row', () => {
  const flat = flattenGroups(groupByProject([c('a'), c('b')]), new Set());
  assert.deepEqual(flat.map((i) => i.kind), ['row', 'row']);
});
