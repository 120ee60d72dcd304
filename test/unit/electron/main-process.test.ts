import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { method } from '../../../src-main/core/contract/define.js';
import { settingsPatchSchema } from '../../../src-main/core/contract/settings-schema.js';
import { wharfPaths } from '../../../src-main/core/paths.js';
import { ControlSocketServer } from '../../../src-main/core/transports/control-socket.js';
import { createDispatcher } from '../../../src-main/core/transports/dispatcher.js';
import { EventBus } from '../../../src-main/core/util/event-bus.js';
import { StreamRegistry } from '../../../src-main/core/util/streams.js';

/**
 * Runs the real src-main/electron/main.ts under Node with 'electron' resolved
 * to a recording fake (fake-electron/), since no Electron binary runs here.
 * A headless core is already serving control.sock in a temp WHARF_HOME, so the
 * app attaches to it (remote mode) and the scenario does not depend on a VM.
 * The fake drives a scenario and prints observations; this checks them.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const register = path.join(repo, 'test/unit/electron/fake-electron/register.mjs');

type Observation = { what: string } & Record<string, unknown>;

function runMain(home: string, extraEnv: Record<string, string> = {}): Promise<{ code: number | null; obs: Observation[]; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', register, path.join(repo, 'src-main/electron/main.ts')], {
      cwd: repo,
      env: { ...process.env, WHARF_HOME: home, WHARF_NO_AUTOSTART: '1', FAKE_ELECTRON_SCENARIO: '1', ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`main.ts did not exit:\n${output}`)); }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const obs = output.split('\n').filter((l) => l.startsWith('FAKE ')).map((l) => JSON.parse(l.slice(5)) as Observation);
      resolve({ code, obs, output });
    });
  });
}

describe('main process (against a fake Electron)', () => {
  let home: string;
  let server: ControlSocketServer;
  const headlessCalls: string[] = [];

  before(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'wharf-main-'));
    const bus = new EventBus();
    let state: 'stopped' | 'starting' = 'stopped';
    const status = async () => ({ vm: { state }, backend: 'qemu', socketPath: '/x', dockerContext: 'wharf', versions: { wharf: '0' }, notices: [] });
    const small = {
      engine: { status: method().returns<unknown>(), start: method().returns<unknown>(), stop: method().returns<unknown>() },
      settings: { get: method().returns<unknown>(), set: method(settingsPatchSchema).returns<unknown>() },
    };
    const dispatch = createDispatcher(small, {
      engine: {
        status: async () => { headlessCalls.push('engine.status'); return status(); },
        start: async () => {
          headlessCalls.push('engine.start');
          state = 'starting';
          bus.emit('vmState', { state: 'starting' });
          return status();
        },
        stop: async () => { headlessCalls.push('engine.stop'); state = 'stopped'; bus.emit('vmState', { state: 'stopped' }); return status(); },
      },
      settings: {
        get: async () => { headlessCalls.push('settings.get'); return { startAtLogin: false }; },
        set: async () => ({}),
      },
    });
    await mkdir(wharfPaths(home).run, { recursive: true });
    server = new ControlSocketServer(wharfPaths(home).controlSocket, { dispatch, bus, streams: new StreamRegistry(bus) });
    await server.listen();
  });

  after(async () => {
    await server.close();
    await rm(home, { recursive: true, force: true });
  });

  it('boots, wires window, IPC, tray and menu, hides on close, and quits gracefully', async () => {
    const { code, obs, output } = await runMain(home);
    const get = (what: string) => {
      const o = obs.find((x) => x.what === what);
      assert.ok(o, `no '${what}' observation in:\n${output}`);
      return o;
    };
    assert.equal(code, 0, output);
    assert.match(output, /attaching to the Wharf core already serving/);

    assert.deepEqual(get('app-menu').labels, ['Wharf', 'Edit', 'View', 'Window']);
    assert.equal(get('ipc-handle').channel, 'wharf:call');
    const created = get('window-created');
    assert.equal(created.title, 'Wharf');
    assert.deepEqual(
      { ...(created.webPreferences as object), preload: undefined },
      {
        preload: undefined, contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false,
        spellcheck: false, navigateOnDragDrop: false,
      },
    );
    assert.match(String((created.webPreferences as { preload: string }).preload), /preload[\\/]index\.cjs$/);
    assert.equal(get('window').visible, true, 'shown once ready');
    // The built renderer comes from app://wharf/, never file:// (the fuse for file:// privileges is off).
    assert.equal(get('window').url, 'app://wharf/index.html');
    const appProtocol = get('app-protocol') as unknown as { privileged: Array<{ scheme: string; privileges: Record<string, boolean> }>; index: { status: number }; traversal: { status: number }; encodedSlash: { status: number }; otherHost: { status: number } };
    assert.deepEqual(appProtocol.privileged.map((p) => [p.scheme, p.privileges.standard, p.privileges.secure]), [['app', true, true]]);
    assert.equal(obs.some((o) => o.what === 'scheme-registered-too-late'), false, 'app:// was registered after ready');
    // %2e%2e is folded by URL parsing into the app's own root (404 there); ../../package.json exists and would be a 200.
    assert.ok([403, 404].includes(appProtocol.traversal.status), 'app:// served a file outside the renderer');
    assert.equal(appProtocol.encodedSlash.status, 403);
    assert.equal(appProtocol.otherHost.status, 403);
    // No renderer is built in this checkout: 404, not a crash; a built one is served with the CSP header.
    assert.ok([200, 404].includes(appProtocol.index.status));

    assert.deepEqual(get('call-status'), { what: 'call-status', ok: true, state: 'stopped' });
    assert.deepEqual(get('call-settings'), { what: 'call-settings', ok: true, keys: ['startAtLogin'] });
    assert.deepEqual(get('call-untrusted'), { what: 'call-untrusted', ok: false, error: 'Forbidden' });
    assert.equal(get('call-unknown').ok, false);

    assert.deepEqual(get('navigation'), {
      what: 'navigation', externalPrevented: true, inAppPrevented: false, open: 'deny', openFile: 'deny', webviewPrevented: true,
      opened: ['https://evil.example/phish', 'https://docs.docker.com/'],
    });
    const sess = get('session');
    assert.deepEqual(sess.permissionGranted, { media: false, clipboard: true, clipboardElsewhere: false, checkNotifications: false });
    assert.match(String(sess.csp), /^default-src 'none'; script-src 'self';.*frame-ancestors 'none'$/);
    assert.equal(sess.foreignTouched, false);

    assert.deepEqual(get('tray'), {
      what: 'tray', tooltip: 'Wharf (QEMU) — stopped', labels: ['Wharf stopped', 'Engine: QEMU', 'Dashboard', 'Start', 'Stop', 'Restart', 'Settings…', 'Quit Wharf'], reps: [1, 2],
    });
    assert.deepEqual(get('after-close'), { what: 'after-close', windows: 1, visible: false });
    assert.equal(get('after-second-instance').visible, true);
    assert.deepEqual(get('after-settings').executed, ['location.hash = "#/settings";']);

    const started = get('after-start');
    assert.deepEqual(started.channels, ['wharf:event']);
    assert.ok((started.events as string[]).includes('vmState'));
    assert.equal(started.tooltip, 'Wharf (QEMU) — starting…');
    assert.equal(started.stateLine, 'Wharf is starting…');

    assert.deepEqual(get('after-crashes'), {
      what: 'after-crashes', reloads: 3, windowsAfterCrashes: 0, freshIsNew: true, freshCall: true, staleCall: false,
      notified: ['Wharf’s window keeps crashing'],
    });

    assert.match(output, /quitting: stopping the engine/);
    assert.match(output, /engine stop: done, core shutdown: done/);
    assert.ok(obs.findIndex((o) => o.what === 'quit') > obs.findIndex((o) => o.what === 'after-start'));
    assert.ok(headlessCalls.includes('engine.start'));
    assert.equal(headlessCalls.at(-1), 'engine.stop', 'Quit stops the engine before exiting');
  });

  it('a second instance quits at once and leaves the first alone', async () => {
    const { code, obs } = await runMain(home, { FAKE_ELECTRON_SECOND: '1', FAKE_ELECTRON_SCENARIO: '0' });
    assert.equal(code, 0);
    assert.deepEqual(obs.map((o) => o.what), ['quit']);
  });

  it('runs the real core in-process when none is running, serving control.sock for the CLI', async () => {
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'wharf-main-local-'));
    try {
      const { code, obs, output } = await runMain(fresh, { WHARF_CACHE: path.join(fresh, 'cache') });
      const get = (what: string) => {
        const o = obs.find((x) => x.what === what);
        assert.ok(o, `no '${what}' observation in:\n${output}`);
        return o;
      };
      assert.equal(code, 0, output);
      assert.match(output, new RegExp(`serving the CLI on ${path.join(fresh, 'run', 'control.sock').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      assert.deepEqual(get('call-status'), { what: 'call-status', ok: true, state: 'stopped' });
      assert.ok((get('call-settings').keys as string[]).includes('startAtLogin'));
      // No VM image in the empty cache: Start from the tray is refused before any state change, and the user is told.
      const note = get('notification');
      assert.equal(note.title, 'Wharf could not start the engine');
      assert.match(String(note.body), /VM image is not built/);
      assert.match(output, /engine stop: (done|failed), core shutdown: done/);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });
});
