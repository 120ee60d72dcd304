import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernelKey, kernelTarget } from '../../../vm-assets/builder/kernel.js';
import { aptDir, hostGuestArch, hostToolsAptDir, imageFiles } from '../../../vm-assets/builder/cache.js';
import { crossTools } from '../../../vm-assets/builder/exec.js';
import { emulatorFiles } from '../../../vm-assets/builder/emulation.js';
import { parseArgs } from '../../../vm-assets/builder/build.js';

test('vm:build builds the host architecture by default; --arch picks another or all', () => {
  assert.equal(parseArgs([], 'x64').arch, 'amd64');
  assert.equal(parseArgs([], 'arm64').arch, 'arm64');
  assert.equal(parseArgs(['--arch', 'arm64'], 'x64').arch, 'arm64');
  assert.equal(parseArgs(['--arch=all'], 'x64').arch, 'all');
  assert.throws(() => parseArgs(['--arch', 'riscv64'], 'x64'), /not an architecture Wharf builds \(amd64, arm64 or all\)/);
  assert.equal(hostGuestArch('x64'), 'amd64');
});

test('each architecture has its own kernel and image cache keys', () => {
  const cfg = 'CONFIG_X=y\n';
  assert.notEqual(kernelKey('6.1.1', cfg, 'arm64'), kernelKey('6.1.1', cfg, 'amd64'));
  // amd64 keys are what they were before arm64 existed, so cached kernels stay valid.
  assert.equal(kernelKey('6.1.1', cfg, 'amd64'), kernelKey('6.1.1', cfg));
  assert.equal(aptDir('/c', 'trixie'), '/c/apt/trixie');
  assert.equal(aptDir('/c', 'trixie', 'arm64'), '/c/apt/trixie-arm64');
  // A cross build's host-arch root is its own, never the native build's (no apt locks there).
  assert.notEqual(hostToolsAptDir('/c', 'trixie', 'amd64'), aptDir('/c', 'trixie', 'amd64'));
  assert.notEqual(hostToolsAptDir('/c', 'trixie', 'amd64'), aptDir('/c', 'trixie', 'arm64'));
});

test('arm64 kernels are cross-compiled to the uncompressed Image; amd64 to bzImage', () => {
  assert.deepEqual(kernelTarget('arm64', 'x64'), { makeVars: ['ARCH=arm64', 'CROSS_COMPILE=aarch64-linux-gnu-'], goal: 'Image', output: 'arch/arm64/boot/Image', imageFile: 'Image' });
  assert.deepEqual(kernelTarget('arm64', 'arm64').makeVars, ['ARCH=arm64']);
  assert.deepEqual(kernelTarget('amd64', 'x64'), { makeVars: [], goal: 'bzImage', output: 'arch/x86/boot/bzImage', imageFile: 'vmlinuz' });
  assert.deepEqual(imageFiles('arm64'), ['Image', 'initrd.img', 'rootfs.squashfs', 'image.json']);
});

test('a cross build names its compiler and the package that has it', () => {
  assert.deepEqual(crossTools('arm64', 'x64'), { 'aarch64-linux-gnu-gcc': 'gcc-aarch64-linux-gnu', 'aarch64-linux-gnu-ld': 'binutils-aarch64-linux-gnu' });
  assert.deepEqual(crossTools('arm64', 'arm64'), {});
  assert.deepEqual(crossTools('amd64', 'x64'), {});
});

test('an emulator target brings its static binary, the P wrapper its binfmt definition names, and the definition', () => {
  assert.deepEqual(emulatorFiles('aarch64'), {
    binary: 'usr/bin/qemu-aarch64',
    wrapper: 'usr/libexec/qemu-binfmt/aarch64-binfmt-P',
    definition: 'usr/share/qemu/binfmt.d/qemu-aarch64.conf',
  });
});
