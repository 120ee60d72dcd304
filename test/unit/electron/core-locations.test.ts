import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { coreLocations } from '../../../src-main/electron/core-locations.js';

test('development: vm-assets/ from the checkout, images from the build cache', () => {
  assert.deepEqual(coreLocations({ isPackaged: false, resourcesPath: '/r', appPath: '/repo' }, () => true), { repoRoot: '/repo' });
});

test('packaged: the hash inputs and the images both come from resources/', () => {
  assert.deepEqual(coreLocations({ isPackaged: true, resourcesPath: '/r', appPath: '/r/app.asar' }, () => true), {
    repoRoot: '/r',
    cacheDir: path.join('/r', 'vm-image'),
  });
});

test('packaged without an image: the build cache, so the user is told to build one there', () => {
  assert.deepEqual(coreLocations({ isPackaged: true, resourcesPath: '/r', appPath: '/r/app.asar' }, () => false), { repoRoot: '/r' });
});
