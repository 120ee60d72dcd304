import { contextBridge, ipcRenderer } from 'electron';
import { contract } from '../core/contract/services.js';
import type { PreloadBridge } from '../../src-renderer/ipc/transport.js';
import { buildAllowList, createBridge, type WharfBridge } from './bridge.js';

/**
 * Runs in a sandboxed preload (contextIsolation on, no Node): electron-vite
 * bundles this file and the contract into one CommonJS script whose only
 * require is 'electron'. The page gets `window.wharf` with call/listen for
 * contract methods and nothing else; ipcRenderer itself is never exposed.
 */
const bridge: WharfBridge = createBridge(ipcRenderer, buildAllowList(contract));

// Compile-time check that the bridge is what the renderer expects.
const typed: PreloadBridge = bridge;

contextBridge.exposeInMainWorld('wharf', typed);
