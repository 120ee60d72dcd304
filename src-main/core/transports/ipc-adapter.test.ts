import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { method } from '../contract/define.js';
import { contract } from '../contract/services.js';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type CallResponse } from '../contract/wire.js';
import { EventBus } from '../util/event-bus.js';
import { StreamRegistry } from '../util/streams.js';
import { createDispatcher, type Dispatch } from './dispatcher.js';
import {
  createIpcAdapter, isTrustedSender, isTrustedUrl,
  type FrameLike, type InvokeEventLike, type IpcMainLike, type TrustedOrigins, type WebContentsLike,
} from './ipc-adapter.js';

const PROD: TrustedOrigins = { rendererDir: 'file:///opt/Wharf/resources/app.asar/out/renderer/' };
const DEV: TrustedOrigins = { devServerUrl: 'http://localhost:5173/' };
const INDEX = 'file:///opt/Wharf/resources/app.asar/out/renderer/index.html';

class FakeIpcMain implements IpcMainLike {
  handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void {
    assert.ok(!this.handlers.has(channel), `second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(event: InvokeEventLike, ...args: unknown[]): Promise<CallResponse> {
    const h = this.handlers.get(IPC_CALL_CHANNEL);
    assert.ok(h, 'no call handler registered');
    return (await h(event, ...args)) as CallResponse;
  }
}

class FakeWebContents implements WebContentsLike {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  sent: Array<{ channel: string; args: unknown[] }> = [];
  destroyed = false;
  private destroyListeners: Array<() => void> = [];
  navigateListeners = new Set<() => void>();
  constructor(public url: string = INDEX) {}
  on(_event: 'did-navigate', listener: () => void): this {
    this.navigateListeners.add(listener);
    return this;
  }
  removeListener(_event: 'did-navigate', listener: () => void): this {
    this.navigateListeners.delete(listener);
    return this;
  }
  navigate(): void {
    for (const l of [...this.navigateListeners]) l();
  }
  getURL(): string { return this.url; }
  isDestroyed(): boolean { return this.destroyed; }
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, args });
  }
  once(_event: 'destroyed', listener: () => void): this {
    this.destroyListeners.push(listener);
    return this;
  }
  destroy(): void {
    this.destroyed = true;
    for (const l of this.destroyListeners.splice(0)) l();
  }
}

const top = (url: string): FrameLike => ({ url, parent: null });
const child = (url: string): FrameLike => ({ url, parent: top(url) });
const eventFrom = (frame: FrameLike | null, sender: WebContentsLike): InvokeEventLike => ({ senderFrame: frame, sender });

function setup(overrides: { dispatch?: Dispatch; trusted?: TrustedOrigins; streams?: boolean } = {}) {
  const ipcMain = new FakeIpcMain();
  const bus = new EventBus();
  const calls: Array<{ method: string; args: unknown }> = [];
  const refused: string[] = [];
  const dispatch: Dispatch = overrides.dispatch ?? (async (m, args) => {
    calls.push({ method: m, args });
    return { type: 'result', id: 0, ok: true, result: { echoed: m } };
  });
  const streams = overrides.streams ? new StreamRegistry(bus) : undefined;
  const adapter = createIpcAdapter({ ipcMain, bus, dispatch, streams, trusted: overrides.trusted ?? PROD, onRefused: (r) => refused.push(r) });
  // The app's window: attached, as main.ts does for every window it creates.
  const win = new FakeWebContents();
  adapter.attach(win);
  const from = (frame: FrameLike | null) => eventFrom(frame, win);
  return { ipcMain, bus, calls, refused, adapter, win, from, streams };
}

describe('isTrustedUrl', () => {
  it('trusts pages inside the packaged renderer directory', () => {
    assert.equal(isTrustedUrl(INDEX, PROD), true);
    assert.equal(isTrustedUrl(`${INDEX}#/settings`, PROD), true);
    assert.equal(isTrustedUrl(`${INDEX}?x=1`, PROD), true);
    assert.equal(isTrustedUrl('file:///opt/Wharf/resources/app.asar/out/renderer/sub/page.html', PROD), true);
  });

  it('accepts a renderer dir given without a trailing slash', () => {
    assert.equal(isTrustedUrl(INDEX, { rendererDir: 'file:///opt/Wharf/resources/app.asar/out/renderer' }), true);
  });

  it('refuses other files, prefixes and traversal out of the renderer directory', () => {
    assert.equal(isTrustedUrl('file:///etc/passwd', PROD), false);
    assert.equal(isTrustedUrl('file:///opt/Wharf/resources/app.asar/out/renderer', PROD), false);
    assert.equal(isTrustedUrl('file:///opt/Wharf/resources/app.asar/out/renderer/', PROD), false);
    assert.equal(isTrustedUrl('file:///opt/Wharf/resources/app.asar/out/renderer-evil/index.html', PROD), false);
    assert.equal(isTrustedUrl('file:///opt/Wharf/resources/app.asar/out/renderer/../../../../../tmp/x.html', PROD), false);
    assert.equal(isTrustedUrl('file:///opt/Wharf/resources/app.asar/out/renderer/%2e%2e/%2e%2e/x.html', PROD), false);
    assert.equal(isTrustedUrl('file://evil-host/opt/Wharf/resources/app.asar/out/renderer/index.html', PROD), false);
  });

  it('refuses web pages and odd schemes in production', () => {
    for (const url of ['http://localhost:5173/', 'https://example.com/', 'about:blank', 'data:text/html,hi', 'javascript:alert(1)', 'devtools://devtools/bundled/x.html', '', 'not a url']) {
      assert.equal(isTrustedUrl(url, PROD), false, url);
    }
  });

  it('trusts exactly the dev server origin in development', () => {
    assert.equal(isTrustedUrl('http://localhost:5173/', DEV), true);
    assert.equal(isTrustedUrl('http://localhost:5173/index.html#/images', DEV), true);
    assert.equal(isTrustedUrl('http://localhost:5174/', DEV), false);
    assert.equal(isTrustedUrl('https://localhost:5173/', DEV), false);
    assert.equal(isTrustedUrl('http://127.0.0.1:5173/', DEV), false);
    assert.equal(isTrustedUrl('http://localhost:5173.evil.com/', DEV), false);
    assert.equal(isTrustedUrl('http://localhost:5173@evil.com/', DEV), false);
    assert.equal(isTrustedUrl(INDEX, DEV), false, 'file pages are not trusted when only the dev server is configured');
  });

  it('trusts nothing when nothing is configured', () => {
    assert.equal(isTrustedUrl(INDEX, {}), false);
    assert.equal(isTrustedUrl('http://localhost:5173/', {}), false);
  });
});

describe('isTrustedSender', () => {
  it('needs a top-level frame of an app page', () => {
    assert.equal(isTrustedSender(top(INDEX), PROD), true);
    assert.equal(isTrustedSender(child(INDEX), PROD), false, 'iframes may not call, even same-origin ones');
    assert.equal(isTrustedSender(null, PROD), false, 'a frame that navigated away or was destroyed');
    assert.equal(isTrustedSender(top('https://example.com/'), PROD), false);
  });
});

describe('createIpcAdapter: calls', () => {
  it('registers exactly one handler, on IPC_CALL_CHANNEL', () => {
    const { ipcMain } = setup();
    assert.deepEqual([...ipcMain.handlers.keys()], [IPC_CALL_CHANNEL]);
  });

  it('dispatches an allow-listed method from a trusted frame', async () => {
    const { ipcMain, calls, from } = setup();
    const res = await ipcMain.invoke(from(top(INDEX)), 'containers.start', ['web']);
    assert.deepEqual(res, { type: 'result', id: 0, ok: true, result: { echoed: 'containers.start' } });
    assert.deepEqual(calls, [{ method: 'containers.start', args: ['web'] }]);
  });

  it('passes [] when the renderer sends no arguments', async () => {
    const { ipcMain, calls, from } = setup();
    await ipcMain.invoke(from(top(INDEX)), 'engine.status');
    assert.deepEqual(calls, [{ method: 'engine.status', args: [] }]);
  });

  it('refuses an untrusted sender without dispatching', async () => {
    const { ipcMain, calls, refused, from } = setup();
    for (const frame of [top('https://evil.example/'), child(INDEX), null]) {
      const res = await ipcMain.invoke(from(frame), 'diagnostics.factoryReset', ['confirm']);
      assert.equal(res.ok, false);
      assert.equal(!res.ok && res.error.name, 'Forbidden');
    }
    assert.equal(calls.length, 0);
    assert.equal(refused.length, 3);
    assert.match(refused[0]!, /evil\.example/);
  });

  it('refuses a trusted page in a window that was never attached', async () => {
    const { ipcMain, calls, refused } = setup();
    const stray = new FakeWebContents();
    const res = await ipcMain.invoke(eventFrom(top(INDEX), stray), 'engine.status', []);
    assert.equal(!res.ok && res.error.name, 'Forbidden');
    assert.equal(calls.length, 0);
    assert.match(refused[0]!, /never attached/);
  });

  it('refuses calls from a window after it was detached or destroyed', async () => {
    const { ipcMain, adapter, calls } = setup();
    const a = new FakeWebContents();
    const detach = adapter.attach(a);
    assert.equal((await ipcMain.invoke(eventFrom(top(INDEX), a), 'engine.status', [])).ok, true);
    detach();
    assert.equal((await ipcMain.invoke(eventFrom(top(INDEX), a), 'engine.status', [])).ok, false);
    const b = new FakeWebContents();
    adapter.attach(b);
    b.destroy();
    assert.equal((await ipcMain.invoke(eventFrom(top(INDEX), b), 'engine.status', [])).ok, false);
    assert.equal(calls.length, 1);
  });

  it('refuses methods outside the contract allow-list without dispatching', async () => {
    const { ipcMain, calls, from } = setup();
    for (const m of ['constructor', '__proto__', 'engine', 'engine.status.extra', 'containers.toString', 'fs.readFile', '', 42, null, { toString: () => 'engine.status' }]) {
      const res = await ipcMain.invoke(from(top(INDEX)), m, []);
      assert.equal(res.ok, false, String(m));
      assert.equal(!res.ok && res.error.name, 'UserError');
    }
    assert.equal(calls.length, 0);
  });

  it('allows every method of the contract', async () => {
    const { ipcMain, calls, from } = setup();
    let n = 0;
    for (const [service, methods] of Object.entries(contract)) {
      for (const name of Object.keys(methods)) {
        const res = await ipcMain.invoke(from(top(INDEX)), `${service}.${name}`, []);
        assert.equal(res.ok, true, `${service}.${name}`);
        n++;
      }
    }
    assert.equal(calls.length, n);
  });

  it('works with the real dispatcher: validation errors come back as results', async () => {
    const small = { demo: { add: method(z.number(), z.number()).returns<number>() } };
    const dispatch = createDispatcher(small, { demo: { add: async (a: number, b: number) => a + b } });
    const ipcMain = new FakeIpcMain();
    const adapter = createIpcAdapter({ ipcMain, bus: new EventBus(), dispatch, trusted: DEV, contract: small, onRefused: () => {} });
    const win = new FakeWebContents('http://localhost:5173/');
    adapter.attach(win);
    const dev = eventFrom(top('http://localhost:5173/'), win);
    assert.deepEqual(await ipcMain.invoke(dev, 'demo.add', [2, 3]), { type: 'result', id: 0, ok: true, result: 5 });
    const bad = await ipcMain.invoke(dev, 'demo.add', ['2', 3]);
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.error.message : '', /Invalid arguments to demo\.add/);
    const notArray = await ipcMain.invoke(dev, 'demo.add', { 0: 2, 1: 3 });
    assert.equal(notArray.ok, false);
  });

  it('dispose removes the handler', () => {
    const { ipcMain, adapter } = setup();
    adapter.dispose();
    assert.equal(ipcMain.handlers.size, 0);
  });
});

describe('createIpcAdapter: events', () => {
  it('forwards every bus event to attached windows as an EventMessage', () => {
    const { bus, adapter, win } = setup();
    win.destroy();
    const a = new FakeWebContents();
    const b = new FakeWebContents();
    adapter.attach(a);
    adapter.attach(b);
    bus.emit('vmState', { state: 'running' });
    bus.emit('invalidate', { topic: 'containers' });
    const expected = [
      { channel: IPC_EVENT_CHANNEL, args: [{ type: 'event', name: 'vmState', payload: { state: 'running' } }] },
      { channel: IPC_EVENT_CHANNEL, args: [{ type: 'event', name: 'invalidate', payload: { topic: 'containers' } }] },
    ];
    assert.deepEqual(a.sent, expected);
    assert.deepEqual(b.sent, expected);
  });

  it('does not send to windows that were never attached', () => {
    const { bus } = setup();
    const stranger = new FakeWebContents();
    bus.emit('vmState', { state: 'running' });
    assert.equal(stranger.sent.length, 0);
  });

  it('stops sending after detach or destroy', () => {
    const { bus, adapter } = setup();
    const a = new FakeWebContents();
    const b = new FakeWebContents();
    const detachA = adapter.attach(a);
    adapter.attach(b);
    detachA();
    b.destroy();
    bus.emit('vmState', { state: 'stopped' });
    assert.equal(a.sent.length, 0);
    assert.equal(b.sent.length, 0);
  });

  it('skips a destroyed window that did not say so, and one that left the app', () => {
    const { bus, adapter, win } = setup();
    win.destroy();
    const silent = new FakeWebContents();
    const wandered = new FakeWebContents();
    const ok = new FakeWebContents();
    adapter.attach(silent);
    adapter.attach(wandered);
    adapter.attach(ok);
    silent.destroyed = true;
    wandered.url = 'https://example.com/';
    assert.doesNotThrow(() => bus.emit('bootProgress', { milestone: 'kernel', fraction: 0.2, elapsedSeconds: 1 }));
    assert.equal(wandered.sent.length, 0);
    assert.equal(ok.sent.length, 1);
  });

  it('dispose unsubscribes from the bus', () => {
    const { bus, adapter, win } = setup();
    const a = new FakeWebContents();
    adapter.attach(a);
    adapter.dispose();
    bus.emit('vmState', { state: 'running' });
    assert.equal(a.sent.length, 0);
    assert.equal(win.sent.length, 0);
  });

  it('attaching the same window twice does not double its events', () => {
    const { bus, adapter, win } = setup();
    adapter.attach(win);
    bus.emit('vmState', { state: 'running' });
    assert.equal(win.sent.length, 1);
  });
});

describe('createIpcAdapter: per-window stream ownership', () => {
  /** A dispatch that opens a stream as the calling client, like containers.logs does. */
  function streaming(streams: () => StreamRegistry): Dispatch {
    return async (m) => {
      if (m === 'containers.logs') return { type: 'result', id: 0, ok: true, result: { streamId: streams().open({ kind: 'logs' }).id } };
      return { type: 'result', id: 0, ok: true, result: null };
    };
  }

  function setupStreams() {
    const holder: { registry?: StreamRegistry } = {};
    const ctx = setup({ streams: true, dispatch: streaming(() => holder.registry!) });
    const registry = (holder.registry = ctx.streams!);
    const other = new FakeWebContents();
    ctx.adapter.attach(other);
    const openLogs = async (wc: FakeWebContents) => {
      const res = await ctx.ipcMain.invoke(eventFrom(top(INDEX), wc), 'containers.logs', ['web']);
      assert.ok(res.ok);
      return (res.result as { streamId: string }).streamId;
    };
    return { ...ctx, registry, other, openLogs };
  }

  it('a stream opened by a window is owned by that window', async () => {
    const { registry, win, other, openLogs } = setupStreams();
    const mine = await openLogs(win);
    const theirs = await openLogs(other);
    const owners = new Map(registry.list().map((s) => [s.id, s.owner]));
    assert.notEqual(owners.get(mine), 'core');
    assert.notEqual(owners.get(mine), owners.get(theirs));
  });

  it("sends a stream's events only to its window, other events to all", async () => {
    const { bus, win, other, openLogs } = setupStreams();
    const mine = await openLogs(win);
    bus.emit('stream.data', { streamId: mine, data: 'hello' });
    bus.emit('invalidate', { topic: 'images' });
    assert.deepEqual(win.sent.map((m) => (m.args[0] as { name: string }).name), ['stream.data', 'invalidate']);
    assert.deepEqual(other.sent.map((m) => (m.args[0] as { name: string }).name), ['invalidate']);
  });

  it("closes a window's streams when it reloads or is destroyed, not other windows'", async () => {
    const { registry, win, other, openLogs } = setupStreams();
    const mine = await openLogs(win);
    const theirs = await openLogs(other);
    win.navigate();
    assert.equal(registry.has(mine), false, 'reload closes the old page\'s streams');
    assert.equal(registry.has(theirs), true);
    const again = await openLogs(win);
    win.destroy();
    assert.equal(registry.has(again), false);
    assert.equal(registry.has(theirs), true);
    assert.equal(win.navigateListeners.size, 1, 'the destroyed window keeps its listener; it is gone anyway');
    other.navigate();
    assert.equal(registry.has(theirs), false);
  });

  it('detach removes the reload listener', () => {
    const { adapter } = setupStreams();
    const a = new FakeWebContents();
    const detach = adapter.attach(a);
    assert.equal(a.navigateListeners.size, 1);
    detach();
    assert.equal(a.navigateListeners.size, 0);
  });
});
