import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contract, IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type CallResponse, type EventMessage } from '../../../src-main/core/contract/index.js';
import { buildAllowList, createBridge, type IpcRendererLike } from '../../../src-main/preload/bridge.js';

type Listener = (event: unknown, ...args: unknown[]) => void;

class FakeIpcRenderer implements IpcRendererLike {
  invoked: Array<{ channel: string; args: unknown[] }> = [];
  listeners = new Map<string, Set<Listener>>();
  reply: unknown = { type: 'result', id: 0, ok: true, result: 'pong' };
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    if (this.reply instanceof Error) throw this.reply;
    return this.reply;
  }
  on(channel: string, listener: Listener): this {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(listener);
    return this;
  }
  removeListener(channel: string, listener: Listener): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  emit(channel: string, payload: unknown): void {
    for (const l of this.listeners.get(channel) ?? []) l({ sender: 'the-ipc-event-with-sender' }, payload);
  }
  count(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }
}

const allowList = buildAllowList(contract);

describe('buildAllowList', () => {
  it('holds exactly service.method for every method of the contract', () => {
    const expected = Object.entries(contract).flatMap(([s, methods]) => Object.keys(methods).map((m) => `${s}.${m}`));
    assert.deepEqual([...allowList].sort(), expected.sort());
    assert.ok(allowList.has('engine.status'));
    assert.ok(allowList.has('containers.start'));
    assert.ok(allowList.has('settings.set'));
    assert.ok(allowList.has('streams.write'));
  });

  it('holds no service names, prototype members or channel names', () => {
    for (const name of ['engine', 'constructor', 'toString', '__proto__', 'engine.constructor', 'containers.hasOwnProperty', IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL]) {
      assert.equal(allowList.has(name), false, name);
    }
  });

  it('follows the contract it is given', () => {
    assert.deepEqual([...buildAllowList({})], []);
    assert.deepEqual([...buildAllowList({ a: { b: contract.engine.status } })], ['a.b']);
  });
});

describe('createBridge: call', () => {
  it('invokes IPC_CALL_CHANNEL with the method and args for allowed methods', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, allowList);
    const res = await bridge.call('containers.stop', ['web']);
    assert.deepEqual(res, { type: 'result', id: 0, ok: true, result: 'pong' });
    assert.deepEqual(ipc.invoked, [{ channel: IPC_CALL_CHANNEL, args: ['containers.stop', ['web']] }]);
  });

  it('refuses methods outside the allow-list without touching IPC', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, allowList);
    for (const m of ['fs.readFile', 'engine', 'constructor', '', 'engine.status ', 'ENGINE.STATUS', IPC_EVENT_CHANNEL]) {
      const res = await bridge.call(m, []);
      assert.equal(res.ok, false, m);
      assert.match(!res.ok ? res.error.message : '', /Unknown method/);
    }
    const res = await bridge.call(42 as unknown as string, []);
    assert.equal(res.ok, false);
    assert.equal(ipc.invoked.length, 0);
  });

  it('refuses non-array arguments', async () => {
    const ipc = new FakeIpcRenderer();
    const res = await createBridge(ipc, allowList).call('engine.status', 'nope' as unknown as unknown[]);
    assert.equal(res.ok, false);
    assert.equal(ipc.invoked.length, 0);
  });

  it('turns an IPC failure or a malformed reply into an error result', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, allowList);
    ipc.reply = new Error("No handler registered for 'wharf:call'");
    const failed: CallResponse = await bridge.call('engine.status', []);
    assert.deepEqual(failed, { type: 'result', id: 0, ok: false, error: { name: 'IpcError', message: "No handler registered for 'wharf:call'" } });
    ipc.reply = 'surprise';
    const malformed = await bridge.call('engine.status', []);
    assert.equal(malformed.ok, false);
  });

  it('is frozen so the page cannot swap its methods', () => {
    const bridge = createBridge(new FakeIpcRenderer(), allowList);
    assert.ok(Object.isFrozen(bridge));
  });
});

describe('createBridge: listen', () => {
  it('listens only on IPC_EVENT_CHANNEL and passes only the message, never the IPC event', () => {
    const ipc = new FakeIpcRenderer();
    const got: EventMessage[] = [];
    const off = createBridge(ipc, allowList).listen((m) => got.push(m));
    assert.deepEqual([...ipc.listeners.keys()], [IPC_EVENT_CHANNEL]);
    const msg: EventMessage = { type: 'event', name: 'vmState', payload: { state: 'running' } };
    ipc.emit(IPC_EVENT_CHANNEL, msg);
    ipc.emit(IPC_CALL_CHANNEL, msg);
    ipc.emit('some-other-channel', msg);
    assert.deepEqual(got, [msg]);
    off();
    assert.equal(ipc.count(IPC_EVENT_CHANNEL), 0);
  });

  it('drops messages that are not contract events', () => {
    const ipc = new FakeIpcRenderer();
    const got: unknown[] = [];
    createBridge(ipc, allowList).listen((m) => got.push(m));
    for (const bad of [null, 'x', { type: 'event', name: 'nope', payload: 1 }, { type: 'result', ok: true }, { name: 'vmState' }]) ipc.emit(IPC_EVENT_CHANNEL, bad);
    assert.deepEqual(got, []);
  });

  it('unsubscribe is idempotent and per listener', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createBridge(ipc, allowList);
    const offA = bridge.listen(() => {});
    bridge.listen(() => {});
    assert.equal(ipc.count(IPC_EVENT_CHANNEL), 2);
    offA();
    offA();
    assert.equal(ipc.count(IPC_EVENT_CHANNEL), 1);
  });

  it('rejects a non-function listener', () => {
    assert.throws(() => createBridge(new FakeIpcRenderer(), allowList).listen('x' as unknown as () => void), TypeError);
  });
});
