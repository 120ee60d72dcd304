import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { EngineStatus, HostInfo, Settings } from '../../../src-main/core/contract/index.js';
import { useSettingsStore } from '../../../src-renderer/stores/settings-store.js';
import { BackendTab } from '../../../src-renderer/views/settings/BackendTab.js';
import { EngineTab } from '../../../src-renderer/views/settings/EngineTab.js';
import { FileSharingTab } from '../../../src-renderer/views/settings/FileSharingTab.js';
import { GeneralTab } from '../../../src-renderer/views/settings/GeneralTab.js';
import { ResourcesTab } from '../../../src-renderer/views/settings/ResourcesTab.js';
import { TroubleshootTab } from '../../../src-renderer/views/settings/TroubleshootTab.js';
import { ProxiesTab } from '../../../src-renderer/views/settings/ProxiesTab.js';
import { ResourceSaverTab } from '../../../src-renderer/views/settings/ResourceSaverTab.js';

/**
 * The tabs rendered to HTML (no DOM needed): every control has a name, and
 * what the user must read (unavailable reasons, refusals) is in the markup.
 */

const settings: Settings = {
  version: 3, cpus: 2, memory: 2048, swap: 1024, disk: 64, accelerator: 'auto', backend: 'qemu',
  switchContext: true, fileShares: ['/home/u'], fileSharing: 'auto', syncedShares: [], daemonJson: {}, startAtLogin: false,
    httpProxy: '', httpsProxy: '', noProxy: '', containerHttpProxy: '', containerHttpsProxy: '', containerNoProxy: '', resourceSaverMinutes: 5,
};
const engine: EngineStatus = {
  vm: { state: 'running' }, backend: 'qemu', accelerator: 'tcg', socketPath: '/s', dockerContext: 'wharf', versions: { wharf: '0' }, notices: [],
};
function hostFor(platform: HostInfo['platform']): HostInfo {
  return {
    platform, cpus: 8, memoryMiB: 16384,
    backends: [
      { name: 'qemu', label: 'QEMU', available: true },
      { name: 'vz', label: 'Apple Virtualization framework', available: platform === 'darwin', reason: 'macOS 13 or later only' },
      { name: 'wsl', label: 'WSL 2', available: false, reason: 'WSL 2 is not installed' },
    ],
    accelerators: [
      { name: 'auto', label: 'Automatic', available: true },
      { name: 'kvm', label: 'KVM', available: false, reason: 'a test guest hung under KVM' },
      { name: 'tcg', label: 'Software emulation (TCG)', available: true },
    ],
  };
}

function render(component: () => unknown, over: Partial<ReturnType<typeof useSettingsStore.getState>> = {}, platform: HostInfo['platform'] = 'linux'): string {
  useSettingsStore.setState({
    status: 'ready', settings, draft: structuredClone(settings), host: hostFor(platform), engine,
    daemonText: '{}\n', daemonCheck: { state: 'valid', errors: [] }, dirty: false, dirtyKeys: [],
    plan: { state: 'idle' }, apply: { phase: 'idle', engineErrors: [] },
    hostWide: null, hostWideWrite: { state: 'idle' },
    ...over,
  });
  // Server rendering reads a store's *initial* state (zustand's getServerSnapshot): make that the state under test.
  Object.assign(useSettingsStore.getInitialState(), useSettingsStore.getState());
  return renderToStaticMarkup(createElement(component as () => null));
}

/** Every input, textarea and button has a label, aria-label or text. */
function assertNamed(html: string): void {
  const ids = new Set([...html.matchAll(/<label[^>]*for="([^"]+)"/g)].map((m) => m[1]));
  for (const m of html.matchAll(/<(input|textarea)\b([^>]*)>/g)) {
    const attrs = m[2]!;
    const id = /\bid="([^"]+)"/.exec(attrs)?.[1];
    assert.ok(/aria-label="[^"]+"/.test(attrs) || (id && ids.has(id)), `unnamed control: ${m[0]}`);
  }
  for (const m of html.matchAll(/<button\b([^>]*)>(.*?)<\/button>/g)) {
    assert.ok(/aria-label="[^"]+"/.test(m[1]!) || m[2]!.replace(/<[^>]+>/g, '').trim() !== '', `unnamed button: ${m[0]}`);
  }
}

describe('settings tabs markup', () => {
  it('Proxies: six named fields in two groups; a URL without a scheme is marked and blocks Apply', () => {
    const html = render(ProxiesTab, { draft: { ...settings, httpProxy: 'proxy.corp:3128' }, dirty: true, dirtyKeys: ['httpProxy'] });
    assertNamed(html);
    for (const name of ['Docker Engine: HTTP proxy', 'Docker Engine: HTTPS proxy', 'Docker Engine: bypass the proxy for', 'Containers: HTTP proxy', 'Containers: HTTPS proxy', 'Containers: bypass the proxy for']) {
      assert.match(html, new RegExp(`aria-label="${name}"`));
    }
    assert.match(html, /role="alert"[^>]*>Use http:\/\/, https:\/\/ or socks5:\/\//);
    assert.match(html, /<button[^>]*disabled=""[^>]*>Apply<\/button>/);
  });

  it('Resource Saver: a labelled switch and minutes field; off disables the minutes', () => {
    const on = render(ResourceSaverTab);
    assertNamed(on);
    assert.match(on, /type="checkbox"[^>]*checked=""/);
    assert.match(on, /Stop the VM after \(minutes idle\)/);
    const off = render(ResourceSaverTab, { draft: { ...settings, resourceSaverMinutes: 0 } });
    assert.match(off, /type="number"[^>]*disabled=""/);
  });

  it('Resources: range inputs with host bounds, labelled number fields, Apply disabled when unchanged', () => {
    const html = render(ResourcesTab);
    assertNamed(html);
    assert.match(html, /type="range"[^>]*min="1"[^>]*max="8"/);
    assert.match(html, /type="range"[^>]*min="1024"[^>]*max="16384"[^>]*step="256"/);
    assert.match(html, /type="range"[^>]*min="64"/, 'the disk starts at its current size');
    assert.match(html, /aria-label="Memory \(MiB\)"/);
    assert.match(html, /<button[^>]*disabled=""[^>]*>Apply &amp; restart<\/button>/);
  });

  it('Resources: says when the running VM still has the old size, with a restart button', () => {
    const html = render(ResourcesTab, { engine: { ...engine, resources: { cpus: 1, memoryMiB: 1024, diskGiB: 64 } } });
    assert.match(html, /The VM runs with 1 CPU, 1 GiB and a 64 GiB disk/);
    assert.match(html, />Restart now<\/button>/);
    const same = render(ResourcesTab, { engine: { ...engine, resources: { cpus: 2, memoryMiB: 2048, diskGiB: 64 } } });
    assert.doesNotMatch(same, /The VM runs with/);
  });

  it('Resources: a disk shrink shows why and keeps Apply disabled', () => {
    const html = render(ResourcesTab, { draft: { ...settings, disk: 32 }, dirty: true, dirtyKeys: ['disk'] });
    assert.match(html, /role="alert"[^>]*>The disk only grows/);
    assert.match(html, /aria-invalid="true"/);
    assert.match(html, /<button[^>]*disabled=""[^>]*>Apply &amp; restart<\/button>/);
  });

  it('Virtualization on Linux: KVM is disabled and its reason is visible and its description', () => {
    const html = render(BackendTab);
    assertNamed(html);
    const kvm = /<input[^>]*value="kvm"[^>]*>/.exec(html)![0];
    assert.match(kvm, /disabled=""/);
    const descId = /aria-describedby="([^"]+)"/.exec(kvm)![1]!;
    assert.match(html, new RegExp(`id="${descId.replace(/[:]/g, '\\$&')}"[^>]*>Not available on this computer: a test guest hung under KVM`));
    assert.match(html, /<legend[^>]*>CPU virtualization<\/legend>/);
  });

  it('Virtualization on Windows: WSL 2 or QEMU with WHPX; WSL 2 disabled with its reason', () => {
    const html = render(BackendTab, {}, 'win32');
    assertNamed(html);
    assert.match(html, /<legend[^>]*>Engine<\/legend>/);
    const radio = (v: string) => new RegExp(`<input[^>]*type="radio"[^>]*value="${v}"[^>]*>`).exec(html)?.[0] ?? '';
    assert.match(radio('wsl'), /disabled=""/);
    assert.match(html, /Not available on this computer: WSL 2 is not installed/);
    assert.match(radio('qemu'), /checked=""/);
    assert.match(html, /QEMU with Windows Hypervisor Platform \(WHPX\)/);
    assert.doesNotMatch(html, /value="kvm"/, 'KVM does not apply on Windows');
  });

  it('Virtualization with WSL 2 chosen: no QEMU accelerator choices', () => {
    const win: HostInfo = { ...hostFor('win32'), backends: hostFor('win32').backends.map((b) => (b.name === 'wsl' ? { ...b, available: true, reason: undefined } : b)) };
    const html = render(BackendTab, { host: win, draft: { ...settings, backend: 'wsl' } }, 'win32');
    assert.match(/<input[^>]*value="wsl"[^>]*>/.exec(html)![0], /checked=""/);
    assert.doesNotMatch(html, /QEMU accelerator/);
  });

  it('Resources under a host-wide backend: says whose values they are, no disk slider, writing needs the consent tick', () => {
    const hostWide = {
      file: 'C:\\Users\\ada\\.wslconfig', exists: true, sharedWith: 'every WSL 2 distribution on this computer, not only Wharf',
      current: { memory: '8GB' }, takesEffect: 'WSL reads .wslconfig only when its VM starts.',
    };
    const html = render(ResourcesTab, { hostWide, settings: { ...settings, backend: 'wsl' }, draft: { ...settings, backend: 'wsl' } });
    assertNamed(html);
    assert.match(html, /not Wharf&#x27;s own with this engine/);
    assert.match(html, /C:\\Users\\ada\\.wslconfig/);
    assert.match(html, /every WSL 2 distribution on this computer/);
    assert.match(html, /processors not set \(default\), memory 8GB, swap not set/);
    assert.doesNotMatch(html, /data-resource="disk"/);
    assert.match(html, /<input[^>]*type="checkbox"[^>]*>/);
    assert.match(html, /<button[^>]*disabled=""[^>]*>Write to .wslconfig<\/button>/);
    assert.match(html, /only when its VM starts/);
    assert.doesNotMatch(html, /Apply &amp; restart/);
  });

  it('Virtualization on macOS: Virtualization framework vs QEMU', () => {
    const html = render(BackendTab, {}, 'darwin');
    assert.match(html, /Apple Virtualization framework/);
    assert.match(html, /<input[^>]*value="vz"/);
    assert.match(html, /<input[^>]*value="qemu"/);
  });

  it('Docker Engine: invalid text is marked, its errors listed, Apply disabled', () => {
    const html = render(EngineTab, {
      daemonText: '{ debug: true }', daemonCheck: { state: 'invalid', errors: ['line 1, column 3: expected a "key"'] },
      dirty: true, dirtyKeys: ['daemonJson'],
    });
    assertNamed(html);
    assert.match(html, /<textarea[^>]*aria-invalid="true"/);
    assert.match(html, /expected a &quot;key&quot;/);
    assert.match(html, /<button[^>]*disabled=""[^>]*>Apply &amp; restart<\/button>/);
    assert.match(html, /class="settings-gutter"[^>]*>1<\/pre>/);
  });

  it('Docker Engine: a rollback shows dockerd\'s words', () => {
    const html = render(EngineTab, { apply: { scope: 'engine', phase: 'error', engineErrors: ['dockerd refused the new daemon.json (invalid log-level)'] } });
    assert.match(html, /role="alert"[\s\S]*invalid log-level/);
  });

  it('File sharing: each directory has a named Remove button and the add field is labelled', () => {
    const html = render(FileSharingTab);
    assertNamed(html);
    assert.match(html, /aria-label="Remove \/home\/u"/);
    assert.match(html, /<label[^>]*>Add a host directory<\/label>/);
  });

  it('File sharing: synchronized folders are a table with each folder\'s live state and a named Stop syncing button', () => {
    const synced = { ...settings, syncedShares: ['/home/u/app', '/home/u/web', '/home/u/api', '/home/u/docs'] };
    const draft = { ...synced, syncedShares: [...synced.syncedShares, '/home/u/new'] };
    const html = render(FileSharingTab, {
      settings: synced, draft, dirty: true, dirtyKeys: ['syncedShares'],
      engine: {
        ...engine,
        syncedShares: [
          { path: '/home/u/app', state: 'ready', files: 5008, seconds: 60.5 },
          { path: '/home/u/web', state: 'copying' },
          { path: '/home/u/api', state: 'error', reason: 'unison exited 3' },
        ],
      },
    });
    assertNamed(html);
    assert.match(html, /<h3[^>]*id="([^"]+)"[^>]*>Synchronized folders<\/h3>/);
    const table = /<table[^>]*aria-labelledby="([^"]+)"[^>]*>([\s\S]*?)<\/table>/.exec(html);
    assert.ok(table, 'a table');
    assert.match(html, new RegExp(`<h3[^>]*id="${table[1]!}"`), 'named by its heading');
    assert.deepEqual([...table[2]!.matchAll(/<th scope="col"[^>]*>(.*?)<\/th>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '')), ['Folder', 'State', 'Actions']);
    assert.equal([...table[2]!.matchAll(/<tr>/g)].length, 1 + 5, 'a header row and one row per folder');
    assert.match(html, /Ready — 5,008 files, first sync 60\.5 s/);
    assert.match(html, /Copying into the VM…/);
    assert.match(html, /<progress aria-label="Copying \/home\/u\/web into the VM"><\/progress>/, 'indeterminate: no value');
    assert.match(html, /Sync failed: unison exited 3/);
    assert.equal([...html.matchAll(/Applies after restart/g)].length, 2, 'the VM runs without /home/u/docs and /home/u/new');
    for (const p of draft.syncedShares) assert.match(html, new RegExp(`aria-label="Stop syncing ${p.replace(/\//g, '\\/')}"`));
    assert.match(html, /<label[^>]*>Folder to synchronize<\/label>/);
    assert.match(html, />Sync folder<\/button>/);
    assert.match(html, /two-way sync/);
    assert.match(html, /this computer&#x27;s version wins/);
  });

  it('File sharing: with the VM stopped a synchronized folder applies when it starts; none shows a note, not a table', () => {
    const synced = { ...settings, syncedShares: ['/home/u/app'] };
    const html = render(FileSharingTab, { settings: synced, draft: structuredClone(synced), engine: { ...engine, vm: { state: 'stopped' } } });
    assert.match(html, /Applies when the VM starts/);
    const none = render(FileSharingTab);
    assert.doesNotMatch(none, /<table/);
    assert.match(none, /No folder is synchronized/);
  });

  it('File sharing: a synchronized folder left outside every shared directory is flagged and blocks Apply', () => {
    const saved = { ...settings, syncedShares: ['/home/u/app'] };
    const html = render(FileSharingTab, { settings: saved, draft: { ...saved, fileShares: [] }, dirty: true, dirtyKeys: ['fileShares'] });
    assert.match(html, /role="alert"[^>]*data-testid="synced-outside-shares"[^>]*><code>\/home\/u\/app<\/code> is no longer inside a shared directory/);
    assert.match(html, /Stop syncing it too/);
    assert.match(html, /Not inside a shared directory/);
    assert.match(html, /<button[^>]*disabled=""[^>]*>Apply &amp; restart<\/button>/);
    assert.match(html, /Stop syncing the folders that are no longer inside a shared directory first\./);
  });

  it('General and Troubleshoot: every control is named', () => {
    assertNamed(render(GeneralTab));
    const html = render(TroubleshootTab);
    assertNamed(html);
    for (const b of ['Restart', 'Collect diagnostics', 'Clean / purge data', 'Reset to factory defaults']) assert.match(html, new RegExp(`>${b.replace('/', '\\/')}</button>`));
  });
});
