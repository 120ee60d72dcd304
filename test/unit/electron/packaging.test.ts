import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { HASH_INPUTS } from '../../../src-main/core/vm/image-hash.js';

/**
 * Guards against drift between package.json, electron.vite.config.ts,
 * main.ts's idea of where things are, and electron-builder.yml. None of these
 * can be exercised end to end without an Electron binary.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (p: string) => readFileSync(path.join(repo, p), 'utf8');

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  extraResources: Array<{ from: string; to: string }>;
  electronFuses: Record<string, boolean>;
  win: { target: Array<{ target: string }> };
  mac: { target: Array<{ target: string }>; entitlements: string };
  linux: { target: Array<{ target: string }> };
}

const builder = YAML.parse(read('electron-builder.yml')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('names the app', () => {
    assert.equal(builder.appId, 'dev.wharf.app');
    assert.equal(builder.productName, 'Wharf');
  });

  it('builds nsis, dmg, AppImage and deb', () => {
    assert.deepEqual(builder.win.target.map((t) => t.target), ['nsis']);
    assert.deepEqual(builder.mac.target.map((t) => t.target), ['dmg']);
    assert.deepEqual(builder.linux.target.map((t) => t.target), ['AppImage', 'deb']);
  });

  it('ships the bundles and the VM assets, from paths that exist in the repo', () => {
    assert.ok(builder.files.includes('out/**'));
    for (const r of builder.extraResources) {
      if (r.from.startsWith('build/vm-image')) continue; // staged at build time by build/stage-vm-image.ts
      assert.ok(existsSync(path.join(repo, r.from)), `${r.from} is missing`);
    }
    assert.deepEqual(builder.extraResources.map((r) => r.to).sort(), ['vm-assets/guest', 'vm-assets/kernel', 'vm-assets/wharf.yml', 'vm-image']);
  });

  it('ships every input of the image hash at the same path, so the packaged core finds its image', () => {
    // The core hashes resources/<input> exactly as the builder hashed <input> in the repo.
    for (const input of HASH_INPUTS) {
      const shipped = builder.extraResources.find((r) => r.from === input || input.startsWith(`${r.from}/`));
      assert.ok(shipped, `${input} is part of the image hash but electron-builder.yml does not ship it`);
      assert.equal(shipped.to, shipped.from, `${input} must land at resources/${input}`);
    }
  });

  it('each package carries its own architecture image', () => {
    const image = builder.extraResources.find((r) => r.to === 'vm-image');
    assert.equal(image?.from, 'build/vm-image/${arch}');
    const stage = read('build/stage-vm-image.ts');
    assert.match(stage, /x64: 'amd64', arm64: 'arm64'/);
  });

  it('flips the hardening fuses', () => {
    assert.equal(builder.electronFuses.runAsNode, false);
    assert.equal(builder.electronFuses.enableNodeOptionsEnvironmentVariable, false);
    assert.equal(builder.electronFuses.enableNodeCliInspectArguments, false);
    assert.equal(builder.electronFuses.onlyLoadAppFromAsar, true);
  });

  it('points at icons and entitlements that exist', () => {
    assert.ok(existsSync(path.join(repo, 'build/icon.png')));
    assert.ok(existsSync(path.join(repo, builder.mac.entitlements)));
    assert.match(read(builder.mac.entitlements), /com\.apple\.security\.virtualization/);
    // QEMU with -accel hvf needs Hypervisor.framework.
    assert.match(read(builder.mac.entitlements), /<key>com\.apple\.security\.hypervisor<\/key>\s*<true\/>/);
  });
});

describe('bundle layout', () => {
  it('package.json main is the bundle electron-vite writes', () => {
    const pkg = JSON.parse(read('package.json')) as { main: string; type: string };
    assert.equal(pkg.main, './out/main/index.js');
    assert.equal(pkg.type, 'module', 'main is bundled as ESM because of this');
    const cfg = read('electron.vite.config.ts');
    assert.match(cfg, /out\/main/);
    assert.match(cfg, /input: \{ index: resolve\(root, 'src-main\/electron\/main\.ts'\) \}/);
  });

  it("main.ts loads the preload and renderer where electron-vite puts them", () => {
    const cfg = read('electron.vite.config.ts');
    assert.match(cfg, /format: 'cjs', entryFileNames: '\[name\]\.cjs'/);
    assert.match(cfg, /externalizeDeps: false/);
    const main = read('src-main/electron/main.ts');
    assert.match(main, /path\.join\(here, '\.\.', 'preload', 'index\.cjs'\)/);
    assert.match(main, /path\.join\(here, '\.\.', 'renderer'\)/);
  });

  it('the tray icons in build/ are current', async () => {
    const { renderTrayIcon } = await import('../../../src-main/electron/icons.js');
    for (const name of ['running', 'starting', 'stopped', 'error'] as const) {
      assert.ok(readFileSync(path.join(repo, `build/tray/${name}.png`)).equals(renderTrayIcon(name, 16)), `${name}.png: run node --import tsx build/make-icons.ts`);
      assert.ok(readFileSync(path.join(repo, `build/tray/${name}@2x.png`)).equals(renderTrayIcon(name, 32)), `${name}@2x.png`);
    }
  });
});
