import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Layering (see ARCHITECTURE.md): core/ never imports electron or anything
 * above it; the renderer imports only *types* from the contract.
 */
const coreAbove = { group: ['**/electron/**', '**/cli/**', '**/preload/**', '**/src-renderer/**'], message: 'core/ depends on nothing above it.' };
/**
 * The backend seam: only vm/factory.ts names a backend's folder. Files inside
 * a backend import their own folder with './x.js', which this does not match.
 */
const backendFolders = {
  regex: '(^|/)(qemu|wsl|vz)/',
  message: 'only src-main/core/vm/factory.ts imports a backend folder (vm/qemu, vm/wsl, vm/vz); use the VmBackend interface.',
};

const coreLayer = {
  files: ['src-main/core/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', {
      paths: [{ name: 'electron', message: 'core/ runs headless: never import electron here.' }],
      patterns: [coreAbove, backendFolders],
    }],
  },
};

const backendFactory = {
  files: ['src-main/core/vm/factory.ts'],
  rules: {
    'no-restricted-imports': ['error', {
      paths: [{ name: 'electron', message: 'core/ runs headless: never import electron here.' }],
      patterns: [coreAbove],
    }],
  },
};

const shellLayers = {
  files: ['src-main/cli/**/*.ts', 'src-main/electron/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', { patterns: [backendFolders] }],
  },
};

const contractLayer = {
  files: ['src-main/core/contract/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', {
      paths: [{ name: 'electron', message: 'the contract is shared with the renderer.' }],
      patterns: [{ group: ['../*', '!./*'], message: 'the contract imports only itself and zod.' }],
    }],
  },
};

const rendererLayer = {
  files: ['src-renderer/**/*.{ts,tsx}'],
  rules: {
    'no-restricted-imports': ['error', {
      paths: [{ name: 'electron', message: 'the renderer is sandboxed: use the ipc client.' }],
      patterns: [
        { regex: 'src-main/(?!core/contract)', message: 'the renderer imports only types from src-main/core/contract.' },
        { regex: 'src-main/core/contract', allowTypeImports: true, message: 'import only types from the contract (import type …).' },
        { group: ['node:*', 'fs', 'path', 'child_process', 'os', 'net'], message: 'the renderer has no Node.' },
      ],
    }],
  },
};

const preloadLayer = {
  files: ['src-main/preload/**/*.ts'],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [{ regex: 'core/(?!contract)', message: 'preload sees only the contract.' }],
    }],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  coreLayer,
  backendFactory,
  shellLayers,
  contractLayer,
  rendererLayer,
  preloadLayer,
);
