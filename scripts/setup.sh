#!/usr/bin/env bash
# Installs what Wharf needs from the system: QEMU and the tools that build the
# VM image, plus what the tests drive (Chromium, a loopback registry).
# Installs by itself as root or with passwordless sudo; otherwise prints the
# exact command and stops.
set -euo pipefail

want_tests=0
[[ "${1:-}" == "--for-tests" ]] && want_tests=1

declare -A need=(
  [qemu-system-x86_64]=qemu-system-x86
  [qemu-img]=qemu-utils
  [mksquashfs]=squashfs-tools
  [cpio]=cpio
  [mkfs.ext4]=e2fsprogs
  [xz]=xz-utils
  [zstd]=zstd
  [dpkg-deb]=dpkg
  [apt-get]=apt
  [openssl]=openssl
  # Compiling the guest kernel (vm-assets/builder/kernel.ts).
  [make]=make
  [gcc]=gcc
  [flex]=flex
  [bison]=bison
  [bc]=bc
  [perl]=perl
  # The arm64 guest: cross-compiling its kernel, and booting it (under TCG on x86-64).
  [aarch64-linux-gnu-gcc]=gcc-aarch64-linux-gnu
  [qemu-system-aarch64]=qemu-system-arm
)
if (( want_tests )); then
  need[chromium]=chromium
  need[docker-registry]=docker-registry
  # Daily-work tests: the basic-auth registry (htpasswd), ssh:// contexts (a private sshd on a
  # loopback port with its own keys; the tests never use the system one), compose projects.
  need[htpasswd]=apache2-utils
  need[sshd]=openssh-server
fi

missing=()
for cmd in "${!need[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${need[$cmd]}")
done
# Headers the kernel build compiles its host tools against.
for hdr in /usr/include/stdio.h:libc6-dev /usr/include/gelf.h:libelf-dev /usr/include/openssl/evp.h:libssl-dev; do
  [[ -f ${hdr%%:*} ]] || missing+=("${hdr#*:}")
done
# Test images are built FROM scratch around a static busybox.
if (( want_tests )) && ! dpkg -s busybox-static >/dev/null 2>&1; then
  missing+=(busybox-static)
fi
if (( want_tests )) && ! command -v docker >/dev/null 2>&1; then
  missing+=(docker.io)
fi
# Compose: `docker compose` v2 (trixie) or the standalone docker-compose (bookworm ships 1.29); one package name for both.
if (( want_tests )) && ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  missing+=(docker-compose)
fi
# virtiofsd serves shared folders; Debian ships it in qemu-system-common (bookworm) or its own package (trixie).
if [[ ! -x /usr/libexec/virtiofsd && ! -x /usr/lib/qemu/virtiofsd ]] && ! command -v virtiofsd >/dev/null 2>&1; then
  if apt-cache show virtiofsd >/dev/null 2>&1; then missing+=(virtiofsd); fi
fi

if (( ${#missing[@]} == 0 )); then
  echo "setup: system packages present"
  exit 0
fi

mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
echo "setup: installing ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  "${cmd[@]}"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive "${cmd[@]}"
else
  echo "setup: Wharf needs these Debian packages and cannot install them without root. Run:" >&2
  echo "  sudo apt-get update && sudo ${cmd[*]}" >&2
  exit 1
fi
