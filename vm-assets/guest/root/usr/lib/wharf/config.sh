# The host's configuration arrives as a tar through fw_cfg (opt/wharf/config.tar):
# tls/{ca,server-cert,server-key}.pem, daemon.json, shares, env.
# Under WSL the init passes the tar it read from its stdin as WHARF_CONFIG_TAR.
FW=${WHARF_CONFIG_TAR:-/sys/firmware/qemu_fw_cfg/by_name/opt/wharf/config.tar/raw}
mkdir -p "$CONFIG_DIR"
chmod 700 "$CONFIG_DIR"
if [ -r "$FW" ]; then
  tar -x -f "$FW" -C "$CONFIG_DIR" || wharf_error config "cannot unpack opt/wharf/config.tar"
else
  wharf_error config "no opt/wharf/config.tar in fw_cfg"
fi

# env: KEY=value lines, read as data (never sourced) into /run/wharf/env.
: > /run/wharf/env
if [ -f "$CONFIG_DIR/env" ]; then
  while IFS='=' read -r key value; do
    case "$key" in ''|\#*) continue ;; esac
    case "$key" in *[!A-Za-z0-9_]*) wharf_error config "bad env key $key"; continue ;; esac
    printf '%s=%s\n' "$key" "$value" >> /run/wharf/env
  done < "$CONFIG_DIR/env"
fi

# shares: "<tag> <absolute path>" per line. The host attaches each tag either as a
# virtio-fs device or, where virtiofsd is missing, as a 9p device (QEMU -virtfs);
# a 9p device announces its tag in sysfs, so the kind follows the device.
ninep_tag() {
  for t in /sys/bus/virtio/drivers/9pnet_virtio/virtio*/mount_tag; do
    [ -r "$t" ] && [ "$(tr -d '\000' < "$t")" = "$1" ] && return 0
  done
  return 1
}
# msize: the largest the virtio transport takes (the kernel caps it at 512000);
# cache=mmap: host-side changes show at once and mmap (executables) works.
NINEP_OPTS=trans=virtio,version=9p2000.L,msize=512000,cache=mmap
if [ -f "$CONFIG_DIR/shares" ]; then
  while read -r tag dir; do
    case "$tag" in ''|\#*) continue ;; esac
    case "$dir" in /*) ;; *) wharf_error share "$tag: path must be absolute: $dir"; continue ;; esac
    mkdir -p "$dir" || { wharf_error share "$tag: cannot create $dir"; continue; }
    if ninep_tag "$tag"; then
      mount -t 9p -o "$NINEP_OPTS" "$tag" "$dir" || wharf_error share "$tag: cannot mount 9p on $dir"
    else
      mount -t virtiofs "$tag" "$dir" || wharf_error share "$tag: cannot mount on $dir"
    fi
  done < "$CONFIG_DIR/shares"
fi
