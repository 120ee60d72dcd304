# The data disk (/dev/vdb) holds everything that must survive a reboot: images,
# containers, volumes, swap and the last daemon.json dockerd accepted.
# Rule: a disk is formatted only when it is blank. Anything else that fails to
# check or mount stops the VM instead of risking the user's data.
DATA_DEV=/dev/vdb

is_blank() {
  # A new sparse image reads as zeros. Checking the first MiB covers partition
  # tables and the superblocks of every common filesystem.
  [ -z "$(dd if="$1" bs=65536 count=16 2>/dev/null | tr -d '\000' | head -c 1)" ]
}

wait_for 100 -b "$DATA_DEV" || fatal data-disk "no data disk at $DATA_DEV"

if is_blank "$DATA_DEV"; then
  log "formatting the empty data disk"
  mkfs.ext4 -q -F -L wharf-data -m 0 -E lazy_itable_init=1,lazy_journal_init=1 "$DATA_DEV" ||
    fatal data-disk "mkfs.ext4 failed"
elif sb=$(dumpe2fs -h "$DATA_DEV" 2>/dev/null); then
  e2fsck -p "$DATA_DEV" > /run/wharf/fsck.log 2>&1
  rc=$?
  # 1 = errors corrected, 2 = corrected and a reboot advised (we are not mounted yet).
  [ "$rc" -le 2 ] || fatal data-disk "e2fsck exit $rc: $(tail -n 3 /run/wharf/fsck.log)"
else
  fatal data-disk "$DATA_DEV holds something that is not ext4; refusing to format it"
fi

mkdir -p "$DATA"
mount -t ext4 -o discard,noatime "$DATA_DEV" "$DATA" || fatal data-disk "cannot mount $DATA_DEV"
# The host may have grown the image since the last boot; ext4 grows online.
# The superblock read above says whether it did (one process less per boot).
fs_bytes() {
  count=; size=
  while IFS=: read -r key value; do
    case "$key" in
      'Block count') count=${value##* } ;;
      'Block size') size=${value##* } ;;
    esac
  done <<EOF
$sb
EOF
  [ -n "$count" ] && [ -n "$size" ] && echo $((count * size))
}
read -r sectors < "/sys/class/block/${DATA_DEV##*/}/size" || sectors=
have=$(fs_bytes)
case "$sectors$have" in ''|*[!0-9]*) have= ;; esac
if [ -z "$have" ] || [ -z "$sectors" ] || [ $((sectors * 512 - have)) -ge 4194304 ]; then
  resize2fs "$DATA_DEV" > /run/wharf/resize.log 2>&1 || wharf_error data-disk-resize "$(tail -n 2 /run/wharf/resize.log)"
fi

for d in docker containerd wharf; do
  mkdir -p "$DATA/$d" "/var/lib/$d"
  mount --bind "$DATA/$d" "/var/lib/$d"
done
milestone data-disk

# Swap: wharf.swap=<MiB> on the kernel command line; 0 or absent means none.
swap_mib=$(cmdline_arg wharf.swap || echo 0)
case "$swap_mib" in ''|*[!0-9]*) wharf_error swap "bad wharf.swap=$swap_mib"; swap_mib=0 ;; esac
SWAPFILE=$DATA/swapfile
if [ "$swap_mib" -gt 0 ]; then
  have=$(($(stat -c %s "$SWAPFILE" 2>/dev/null || echo 0) / 1048576))
  if [ "$have" -ne "$swap_mib" ]; then
    rm -f "$SWAPFILE"
    # fallocate leaves no holes (swapon refuses holes) and costs no writes.
    { fallocate -l "${swap_mib}M" "$SWAPFILE" && chmod 600 "$SWAPFILE" && mkswap "$SWAPFILE" >/dev/null; } ||
      { rm -f "$SWAPFILE"; wharf_error swap "cannot create ${swap_mib} MiB swapfile"; }
  fi
  [ -f "$SWAPFILE" ] && { swapon "$SWAPFILE" || wharf_error swap "swapon failed"; }
else
  rm -f "$SWAPFILE"
fi
