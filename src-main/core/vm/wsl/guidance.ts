import { UserError } from '../../errors.js';
import { compareVersions, type WslVersions } from './decode.js';

/** Docker Desktop's floor too (WSL best practices); older builds lack fixes the engine needs. */
export const MIN_WSL_VERSION = '2.1.5';

/** Exit codes of wsl.exe that mean something (Rancher Desktop's version_windows.go). */
export const WSL_EXIT = {
  notInstalled: 50,
  /** WSL_E_WSL2_KERNEL_MISSING-like: the optional component is there, the kernel is not. */
  noKernel: 0xfffffe44,
  /** -1: the catch-all; also what an inbox wsl.exe without --version returns. */
  generic: 4294967295,
} as const;

/** Windows exit codes are unsigned 32-bit; Node reports some of them negative. */
export function unsignedExit(code: number | null): number | null {
  return code === null ? null : code >>> 0;
}

export type WslProblem =
  | { kind: 'missing' }
  | { kind: 'no-kernel' }
  | { kind: 'too-old'; version?: string }
  | { kind: 'virtualization-off' }
  | { kind: 'failed'; words: string };

export function guidance(p: WslProblem): string {
  switch (p.kind) {
    case 'missing':
      return 'WSL is not installed. Open PowerShell as administrator, run `wsl --install --no-distribution`, then restart Windows and start Wharf again.';
    case 'no-kernel':
      return 'WSL is installed but has no Linux kernel. Run `wsl --update` in PowerShell, then start Wharf again.';
    case 'too-old':
      return `WSL ${p.version ?? '(an inbox version without --version)'} is older than ${MIN_WSL_VERSION}, which Wharf needs. Run \`wsl --update\` in PowerShell, then start Wharf again.`;
    case 'virtualization-off':
      return 'WSL 2 cannot start a VM: virtualization is turned off. Turn on "Virtual Machine Platform" (Windows Features, or `wsl --install --no-distribution` as administrator) and enable virtualization (Intel VT-x / AMD-V) in the firmware settings, then restart Windows.';
    case 'failed':
      return `wsl.exe failed: ${p.words.trim() || 'no message'}`;
  }
}

export function wslError(p: WslProblem): UserError {
  return new UserError(guidance(p), p.kind === 'failed' ? 'wsl-failed' : `wsl-${p.kind}`);
}

/** What `--version` (exit code and numbers) says about whether this WSL can run the engine. */
export function versionProblem(code: number | null, versions: WslVersions | undefined): WslProblem | undefined {
  const exit = unsignedExit(code);
  if (exit === WSL_EXIT.notInstalled) return { kind: 'missing' };
  if (exit === WSL_EXIT.noKernel) return { kind: 'no-kernel' };
  // The inbox wsl.exe (before the Store package) does not know --version.
  if (exit !== 0 || !versions?.wsl) return { kind: 'too-old' };
  if (compareVersions(versions.wsl, MIN_WSL_VERSION) < 0) return { kind: 'too-old', version: versions.wsl };
  return undefined;
}

/**
 * HCS_E_HYPERV_NOT_INSTALLED and friends: wsl.exe prints a localized sentence,
 * but the error code name in it is not translated.
 */
export function failureProblem(code: number | null, words: string): WslProblem {
  const exit = unsignedExit(code);
  if (exit === WSL_EXIT.notInstalled) return { kind: 'missing' };
  if (exit === WSL_EXIT.noKernel) return { kind: 'no-kernel' };
  // HCS_E_SERVICE_NOT_AVAILABLE: "a required feature is not installed" (sakai135/wsl-vpnkit#207, microsoft/WSL#8693).
  if (/HCS_E_HYPERV_NOT_INSTALLED|HCS_E_SERVICE_NOT_AVAILABLE|WSL_E_VIRTUAL_MACHINE_PLATFORM_REQUIRED|HV_E_/.test(words)) return { kind: 'virtualization-off' };
  if (/WSL_E_WSL_OPTIONAL_COMPONENT_REQUIRED/.test(words)) return { kind: 'missing' };
  return { kind: 'failed', words };
}
