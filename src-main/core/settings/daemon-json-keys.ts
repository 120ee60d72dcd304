/**
 * The top-level keys dockerd 26 accepts in daemon.json (Linux), from the
 * "Daemon configuration file" section of the dockerd reference plus the
 * options whose flags have a JSON form (cdi-spec-dirs, metrics-addr, …).
 * dockerd refuses to start on an unknown key ("the following directives
 * don't match any configuration option"), so we refuse it before saving
 * rather than leaving the user with an engine that will not come up.
 */
export const DOCKERD_KEYS: readonly string[] = [
  'allow-nondistributable-artifacts', 'api-cors-header', 'authorization-plugins',
  'bip', 'bridge', 'builder',
  'cdi-spec-dirs', 'cgroup-parent', 'containerd', 'containerd-namespace', 'containerd-plugin-namespace',
  'cpu-rt-period', 'cpu-rt-runtime',
  'data-root', 'debug', 'default-address-pools', 'default-cgroupns-mode', 'default-gateway',
  'default-gateway-v6', 'default-ipc-mode', 'default-network-opts', 'default-runtime',
  'default-shm-size', 'default-ulimits', 'dns', 'dns-opts', 'dns-search',
  'exec-opts', 'exec-root', 'experimental',
  'features', 'fixed-cidr', 'fixed-cidr-v6',
  'group',
  'host-gateway-ip', 'hosts',
  'icc', 'init', 'init-path', 'insecure-registries', 'ip', 'ip-forward', 'ip-masq', 'ip6tables',
  'iptables', 'ipv6',
  'labels', 'live-restore', 'log-driver', 'log-format', 'log-level', 'log-opts',
  'max-concurrent-downloads', 'max-concurrent-uploads', 'max-download-attempts', 'metrics-addr', 'mtu',
  'network-control-plane-mtu', 'no-new-privileges', 'node-generic-resources',
  'oom-score-adjust',
  'pidfile', 'proxies',
  'raw-logs', 'registry-mirrors', 'rootless', 'runtimes',
  'seccomp-profile', 'selinux-enabled', 'shutdown-timeout', 'storage-driver', 'storage-opts',
  'swarm-default-advertise-addr',
  'tls', 'tlscacert', 'tlscert', 'tlskey', 'tlsverify',
  'userland-proxy', 'userland-proxy-path', 'userns-remap',
];

/**
 * Keys Wharf sets itself on dockerd's command line or in the guest image.
 * dockerd refuses a key given both as a flag and in daemon.json, and changing
 * these would cut the host off from the engine or lose the data disk.
 */
export const WHARF_CONTROLLED_KEYS: Readonly<Record<string, string>> = {
  hosts: 'Wharf sets the engine\'s listen addresses itself (the host socket is proxied to them); remove "hosts".',
  tls: 'Wharf always runs the engine with mutual TLS using its own certificates; remove "tls".',
  tlsverify: 'Wharf always runs the engine with mutual TLS using its own certificates; remove "tlsverify".',
  tlscacert: 'Wharf manages the engine\'s TLS certificates itself; remove "tlscacert".',
  tlscert: 'Wharf manages the engine\'s TLS certificates itself; remove "tlscert".',
  tlskey: 'Wharf manages the engine\'s TLS certificates itself; remove "tlskey".',
  'data-root': 'Wharf keeps the engine\'s data on the VM\'s data disk; remove "data-root" (resize the disk with the disk setting instead).',
};

export const BOOLEAN_KEYS = [
  'debug', 'experimental', 'icc', 'init', 'ip-forward', 'ip-masq', 'iptables', 'ip6tables', 'ipv6',
  'live-restore', 'no-new-privileges', 'raw-logs', 'selinux-enabled', 'userland-proxy', 'rootless',
] as const;

export const STRING_KEYS = [
  'api-cors-header', 'bip', 'bridge', 'cgroup-parent', 'containerd', 'containerd-namespace',
  'containerd-plugin-namespace', 'default-gateway', 'default-gateway-v6', 'default-runtime',
  'default-shm-size', 'exec-root', 'fixed-cidr', 'fixed-cidr-v6', 'group', 'host-gateway-ip', 'init-path',
  'ip', 'log-driver', 'metrics-addr', 'pidfile', 'seccomp-profile', 'storage-driver',
  'swarm-default-advertise-addr', 'userland-proxy-path', 'userns-remap',
] as const;

export const STRING_ARRAY_KEYS = [
  'allow-nondistributable-artifacts', 'authorization-plugins', 'cdi-spec-dirs', 'dns', 'dns-opts',
  'dns-search', 'exec-opts', 'insecure-registries', 'labels', 'node-generic-resources',
  'registry-mirrors', 'storage-opts',
] as const;

export const OBJECT_KEYS = [
  'builder', 'default-network-opts', 'default-ulimits', 'features', 'log-opts', 'proxies', 'runtimes',
] as const;

/** Integer keys with their smallest allowed value (undefined = any integer). */
export const INTEGER_KEYS: Readonly<Record<string, number | undefined>> = {
  'max-concurrent-downloads': 1,
  'max-concurrent-uploads': 1,
  'max-download-attempts': 1,
  mtu: 0,
  'network-control-plane-mtu': 0,
  'shutdown-timeout': 0,
  'oom-score-adjust': undefined,
  'cpu-rt-period': 0,
  'cpu-rt-runtime': 0,
};

export const ENUM_KEYS: Readonly<Record<string, readonly string[]>> = {
  'log-level': ['debug', 'info', 'warn', 'error', 'fatal'],
  'log-format': ['text', 'json'],
  'default-cgroupns-mode': ['host', 'private'],
  'default-ipc-mode': ['shareable', 'private'],
};
