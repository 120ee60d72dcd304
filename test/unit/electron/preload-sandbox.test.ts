import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build, type Rolldown } from 'vite';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../../src-main/core/contract/wire.js';

/**
 * Bundles src-main/preload/index.ts the way electron.vite.config.ts does
 * (CommonJS, everything but 'electron' inlined) and runs it in a bare V8
 * context whose require knows only 'electron' — no Node globals, like
 * Electron's sandboxed preload. Proves the preload does not reach for
 * node_modules, fs or process, and that window.wharf behaves.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function bundlePreload(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    root: repo,
    build: {
      write: false,
      minify: false,
      target: 'node22',
      ssr: true,
      lib: { entry: path.join(repo, 'src-main/preload/index.ts'), formats: ['cjs'], fileName: 'index' },
      rolldownOptions: { external: ['electron'] },
    },
    ssr: { noExternal: true, resolve: { conditions: ['module', 'browser', 'production'] } },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunks = outputs.flatMap((o) => o.output).filter((c): c is Rolldown.OutputChunk => c.type === 'chunk');
  assert.equal(chunks.length, 1, `expected one self-contained chunk, got ${chunks.map((c) => c.fileName).join(', ')}`);
  return chunks[0]!.code;
}

interface Exposed {
  call(method: string, args: unknown[]): Promise<unknown>;
  listen(fn: (msg: unknown) => void): () => void;
}

function runSandboxed(code: string) {
  const required: string[] = [];
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Array<(e: unknown, m: unknown) => void>>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        return { type: 'result', id: 0, ok: true, result: 'ok' };
      },
      on: (channel: string, fn: (e: unknown, m: unknown) => void) => {
        listeners.set(channel, [...(listeners.get(channel) ?? []), fn]);
      },
      removeListener: (channel: string, fn: (e: unknown, m: unknown) => void) => {
        listeners.set(channel, (listeners.get(channel) ?? []).filter((l) => l !== fn));
      },
    },
  };
  const sandboxRequire = (id: string) => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`module not found: ${id} (a sandboxed preload can only require electron)`);
  };
  const module = { exports: {} };
  const context = vm.createContext({ require: sandboxRequire, module, exports: module.exports, console });
  vm.runInContext(code, context, { filename: 'preload/index.cjs' });
  return { required, exposed, invoked, listeners };
}

describe('sandboxed preload bundle', () => {
  it('builds to one CommonJS script that requires only electron and exposes window.wharf', async () => {
    const code = await bundlePreload();
    assert.doesNotMatch(code, /^\s*import\s/m, 'no ESM imports in a sandboxed preload');
    const { required, exposed, invoked, listeners } = runSandboxed(code);
    assert.deepEqual([...new Set(required)], ['electron']);
    assert.deepEqual([...exposed.keys()], ['wharf']);

    const wharf = exposed.get('wharf') as Exposed;
    assert.deepEqual(Object.keys(wharf).sort(), ['call', 'listen']);
    assert.deepEqual(await wharf.call('engine.status', []), { type: 'result', id: 0, ok: true, result: 'ok' });
    assert.deepEqual(invoked, [[IPC_CALL_CHANNEL, 'engine.status', []]]);

    const refused = (await wharf.call('require', ['child_process'])) as { ok: boolean };
    assert.equal(refused.ok, false);
    assert.equal(invoked.length, 1, 'a refused call never reaches IPC');

    const got: unknown[] = [];
    const off = wharf.listen((m) => got.push(m));
    assert.deepEqual([...listeners.keys()], [IPC_EVENT_CHANNEL]);
    const msg = { type: 'event', name: 'vmState', payload: { state: 'running' } };
    for (const l of listeners.get(IPC_EVENT_CHANNEL)!) l({ senderId: 0 }, msg);
    assert.deepEqual(got, [msg]);
    off();
    assert.equal(listeners.get(IPC_EVENT_CHANNEL)!.length, 0);
  });
});
