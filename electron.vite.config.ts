import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { PRODUCTION_CSP } from './src-main/electron/security.js';

/**
 * electron-vite builds three bundles into out/:
 *   out/main/index.js      the main process (ESM, as package.json "type": "module"); the core is
 *                          bundled in, npm dependencies stay external and ship in app.asar
 *   out/preload/index.cjs  the preload, CommonJS and self-contained (contract + zod bundled, only
 *                          'electron' required) because a sandboxed preload cannot load ESM or node_modules
 *   out/renderer/          the React renderer from src-renderer/index.html, with a CSP <meta> injected
 */

const root = import.meta.dirname;

/**
 * file:// pages have no response headers, so the production CSP goes into the
 * built index.html as a <meta> tag. It is always added: if index.html carries
 * its own CSP too, the browser enforces both, so this one is a floor.
 */
function cspMetaTag(csp: string): Plugin {
  return {
    name: 'wharf:csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => ({
        html,
        tags: [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: csp }, injectTo: 'head-prepend' }],
      }),
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/electron/main.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // Sandboxed preloads can require only 'electron' (and a few builtins): bundle everything else.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [react(), cspMetaTag(PRODUCTION_CSP)],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: {
        input: { index: resolve(root, 'src-renderer/index.html') },
      },
    },
  },
});
