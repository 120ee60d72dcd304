# Images of the other architecture: register Debian's qemu-user binfmt_misc
# definitions that the image carries (/usr/lib/binfmt.d, put there by the builder
# from the manifest's `emulation`). Their F flag makes the kernel open the
# interpreter now, from the root, so containers need no copy of it.
if ls /usr/lib/binfmt.d/*.conf >/dev/null 2>&1; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null
  for def in /usr/lib/binfmt.d/*.conf; do
    name=$(basename "$def" .conf)
    [ -e "/proc/sys/fs/binfmt_misc/$name" ] && continue
    cat "$def" > /proc/sys/fs/binfmt_misc/register 2>/dev/null || wharf_error binfmt "$name: cannot register $def"
  done
fi
