# WSL 2: the engine's data lives in the data distro, which the host bind-mounts
# under /mnt/wsl (shared by every distro of the WSL VM) before starting us. The
# engine distro can then be re-imported on upgrade without touching the data.
wait_for 100 -f "$WHARF_DATA_DIR/.wharf-data" || fatal data-disk "the data distro is not mounted at $WHARF_DATA_DIR"
for d in docker containerd wharf; do
  mkdir -p "$WHARF_DATA_DIR/$d" "/var/lib/$d"
  is_mounted "/var/lib/$d" || mount --bind "$WHARF_DATA_DIR/$d" "/var/lib/$d" || fatal data-disk "cannot bind /var/lib/$d"
done
milestone data-disk
# Swap, CPUs and memory belong to the whole WSL VM (.wslconfig), not to a distro.
