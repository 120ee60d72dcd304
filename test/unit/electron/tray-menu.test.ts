import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VmState, VmStateName } from '../../../src-main/core/contract/types.js';
import {
  actionsFor, buildTrayMenu, MAX_REASON_LENGTH, MAX_TOOLTIP_LENGTH, normalizeState, stateLine,
  TRAY_ICON_NAMES, trayIconFor, trayTooltipFor, truncate, type MenuTemplateItem, type TrayMenuOptions,
} from '../../../src-main/electron/tray-menu.js';

const ALL: VmStateName[] = ['stopped', 'starting', 'running', 'stopping', 'error'];

function recorder(platform: NodeJS.Platform = 'linux') {
  const clicked: string[] = [];
  const opts: TrayMenuOptions = {
    platform,
    onDashboard: () => clicked.push('dashboard'),
    onStart: () => clicked.push('start'),
    onStop: () => clicked.push('stop'),
    onRestart: () => clicked.push('restart'),
    onSettings: () => clicked.push('settings'),
    onQuit: () => clicked.push('quit'),
  };
  return { clicked, opts };
}

function byId(menu: MenuTemplateItem[], id: string): MenuTemplateItem {
  const item = menu.find((i) => i.id === id);
  assert.ok(item, `no item ${id}`);
  return item;
}

const enabledOf = (menu: MenuTemplateItem[]) => ({
  start: byId(menu, 'start').enabled,
  stop: byId(menu, 'stop').enabled,
  restart: byId(menu, 'restart').enabled,
});

describe('stateLine', () => {
  it('says what the engine is doing', () => {
    assert.equal(stateLine({ state: 'running' }), 'Wharf is running');
    assert.equal(stateLine({ state: 'starting' }), 'Wharf is starting…');
    assert.equal(stateLine({ state: 'stopping' }), 'Wharf is stopping…');
    assert.equal(stateLine({ state: 'stopped' }), 'Wharf stopped');
    assert.equal(stateLine({ state: 'error', reason: 'qemu exited with code 1' }), 'Error: qemu exited with code 1');
  });

  it('handles an error without a reason, or with a blank one', () => {
    assert.equal(stateLine({ state: 'error' }), 'Error: unknown error');
    assert.equal(stateLine({ state: 'error', reason: '   ' }), 'Error: unknown error');
  });

  it('puts a long or multi-line reason on one short line', () => {
    const line = stateLine({ state: 'error', reason: `first line\nsecond line ${'x'.repeat(200)}` });
    assert.ok(line.startsWith('Error: first line second line x'));
    assert.ok(line.endsWith('…'));
    assert.equal(line.length, 'Error: '.length + MAX_REASON_LENGTH);
    assert.ok(!line.includes('\n'));
  });

  it('ignores the reason outside the error state', () => {
    assert.equal(stateLine({ state: 'running', reason: 'stale' }), 'Wharf is running');
  });
});

describe('buildTrayMenu', () => {
  it('has the same items in the same order in every state', () => {
    for (const state of ALL) {
      const menu = buildTrayMenu({ state }, recorder().opts);
      assert.deepEqual(
        menu.map((i) => i.id ?? i.type),
        ['state', 'separator', 'dashboard', 'separator', 'start', 'stop', 'restart', 'separator', 'settings', 'separator', 'quit'],
        state,
      );
    }
  });

  it('labels the items', () => {
    const menu = buildTrayMenu({ state: 'running' }, recorder().opts);
    assert.deepEqual(menu.filter((i) => i.label).map((i) => i.label),
      ['Wharf is running', 'Dashboard', 'Start', 'Stop', 'Restart', 'Settings…', 'Quit Wharf']);
  });

  it('shows the state line first, disabled, with the error reason', () => {
    const menu = buildTrayMenu({ state: 'error', reason: 'kernel panic' }, recorder().opts);
    assert.deepEqual(menu[0], { id: 'state', label: 'Error: kernel panic', enabled: false });
  });

  it('enables Start/Stop/Restart per state', () => {
    const table: Record<VmStateName, { start: boolean; stop: boolean; restart: boolean }> = {
      stopped: { start: true, stop: false, restart: false },
      starting: { start: false, stop: true, restart: false },
      running: { start: false, stop: true, restart: true },
      stopping: { start: false, stop: false, restart: false },
      error: { start: true, stop: true, restart: true },
    };
    for (const state of ALL) {
      assert.deepEqual(enabledOf(buildTrayMenu({ state }, recorder().opts)), table[state], state);
      assert.deepEqual(actionsFor({ state }), table[state], state);
    }
  });

  it('never disables Dashboard, Settings or Quit', () => {
    for (const state of ALL) {
      const menu = buildTrayMenu({ state }, recorder().opts);
      for (const id of ['dashboard', 'settings', 'quit']) assert.notEqual(byId(menu, id).enabled, false, `${id} in ${state}`);
    }
  });

  it('wires each item to its action', () => {
    const { clicked, opts } = recorder();
    const menu = buildTrayMenu({ state: 'error', reason: 'x' }, opts);
    for (const id of ['dashboard', 'start', 'stop', 'restart', 'settings', 'quit']) byId(menu, id).click?.();
    assert.deepEqual(clicked, ['dashboard', 'start', 'stop', 'restart', 'settings', 'quit']);
    assert.equal(menu[0]!.click, undefined, 'the state line does nothing');
  });

  it('adds macOS accelerators only on macOS', () => {
    const mac = buildTrayMenu({ state: 'running' }, recorder('darwin').opts);
    assert.equal(byId(mac, 'quit').accelerator, 'Command+Q');
    assert.equal(byId(mac, 'settings').accelerator, 'Command+,');
    const linux = buildTrayMenu({ state: 'running' }, recorder('linux').opts);
    assert.ok(!('accelerator' in byId(linux, 'quit')));
    const win = buildTrayMenu({ state: 'running' }, recorder('win32').opts);
    assert.ok(!('accelerator' in byId(win, 'settings')));
  });

  it('treats a malformed state from the wire as stopped', () => {
    for (const bad of [undefined, null, {}, { state: 'exploded' }, 'running'] as unknown as VmState[]) {
      const menu = buildTrayMenu(bad, recorder().opts);
      assert.equal(menu[0]!.label, 'Wharf stopped');
      assert.deepEqual(enabledOf(menu), { start: true, stop: false, restart: false });
      assert.equal(trayIconFor(bad), 'stopped');
      assert.equal(trayTooltipFor(bad), 'Wharf — stopped');
    }
    assert.deepEqual(normalizeState({ state: 'running' }), { state: 'running' });
  });
});

describe('trayIconFor', () => {
  it('maps each state to an icon, stopping sharing the transitional one', () => {
    assert.equal(trayIconFor({ state: 'running' }), 'running');
    assert.equal(trayIconFor({ state: 'starting' }), 'starting');
    assert.equal(trayIconFor({ state: 'stopping' }), 'starting');
    assert.equal(trayIconFor({ state: 'stopped' }), 'stopped');
    assert.equal(trayIconFor({ state: 'error', reason: 'x' }), 'error');
  });

  it('only ever returns a known icon name', () => {
    for (const state of ALL) assert.ok(TRAY_ICON_NAMES.includes(trayIconFor({ state })));
  });
});

describe('trayTooltipFor', () => {
  it('names the app and the state', () => {
    assert.equal(trayTooltipFor({ state: 'running' }), 'Wharf — running');
    assert.equal(trayTooltipFor({ state: 'starting' }), 'Wharf — starting…');
    assert.equal(trayTooltipFor({ state: 'stopping' }), 'Wharf — stopping…');
    assert.equal(trayTooltipFor({ state: 'stopped' }), 'Wharf — stopped');
    assert.equal(trayTooltipFor({ state: 'error', reason: 'disk full' }), 'Wharf — error: disk full');
    assert.equal(trayTooltipFor({ state: 'error' }), 'Wharf — error: unknown error');
  });

  it('fits the Windows tooltip limit', () => {
    const tip = trayTooltipFor({ state: 'error', reason: 'y'.repeat(500) });
    assert.equal(tip.length, MAX_TOOLTIP_LENGTH);
    assert.ok(tip.endsWith('…'));
  });
});

describe('truncate', () => {
  it('keeps short text, collapses whitespace and cuts long text with an ellipsis', () => {
    assert.equal(truncate('  a \n b  ', 10), 'a b');
    assert.equal(truncate('abcdef', 6), 'abcdef');
    assert.equal(truncate('abcdefg', 6), 'abcde…');
    assert.equal(truncate('abc   defg', 5), 'abc…');
  });
});

describe('the backend', () => it('is named in the tray menu and tooltip', async () => {
  const { buildTrayMenu: build, trayTooltipFor: tip } = await import('../../../src-main/electron/tray-menu.js');
  const noop = () => undefined;
  const actions = { onDashboard: noop, onStart: noop, onStop: noop, onRestart: noop, onSettings: noop, onQuit: noop };
  const menu = build({ state: 'running' }, { ...actions, backend: 'wsl', platform: 'linux' });
  assert.equal(menu[1]!.label, 'Engine: WSL 2');
  assert.equal(menu[1]!.enabled, false);
  assert.equal(tip({ state: 'running' }, 'wsl'), 'Wharf (WSL 2) — running');
  assert.ok(!build({ state: 'running' }, { ...actions, platform: 'linux' }).some((i) => i.id === 'backend'));
}));

it('Resource Saver: the tray says so and Start wakes the engine', () => {
  const state = { state: 'stopped', resourceSaver: true } as const;
  assert.equal(stateLine(state), 'Resource Saver: the VM sleeps until the next docker command');
  assert.equal(trayTooltipFor(state), 'Wharf — Resource Saver');
  assert.equal(actionsFor(state).start, true);
});
