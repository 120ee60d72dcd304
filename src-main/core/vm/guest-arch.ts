import type { GuestArch } from '../contract/types.js';

/**
 * The guest follows the host: arm64 on arm64 hosts (Apple Silicon), amd64 elsewhere,
 * so a hypervisor can run it natively. WHARF_GUEST_ARCH picks the other one (it then
 * runs under emulation), which is how the arm64 guest is tested on x86-64 hosts.
 */
export function guestArchFor(nodeArch: string = process.arch, env: NodeJS.ProcessEnv = process.env): GuestArch {
  const want = env.WHARF_GUEST_ARCH;
  if (want === 'amd64' || want === 'arm64') return want;
  return nodeArch === 'arm64' ? 'arm64' : 'amd64';
}
