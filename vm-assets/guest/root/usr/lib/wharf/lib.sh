# Shared helpers for the guest scripts. Console lines starting with WHARF- are an
# ABI the host parses (vm-assets/README.md); keep their format exact.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
# Where WHARF- lines go (fd 4): the VM's console, or under WSL the pipe of the init
# Wharf holds (fd 3, a socket that cannot be reopened by path) or stdout.
case "${WHARF_CONSOLE:-}" in
  fd3) exec 4>&3 ;;
  stdout) exec 4>&1 ;;
  *) if [ -w /dev/console ]; then exec 4>/dev/console; else exec 4>/dev/null; fi ;;
esac

# True when a path is a mount point (busybox has no mountpoint applet).
is_mounted() { awk -v m="$1" '$2 == m { found = 1 } END { exit !found }' /proc/mounts; }

# Squeeze text (log tails) onto one line of at most 400 characters.
one_line() { echo "$*" | tr '\n' ' ' | sed 's/  */ /g; s/ $//' | cut -c1-400; }

# Also a file, so services started in parallel can wait for a milestone.
milestone() { echo "WHARF-MILESTONE $1" >&4; if [ -d /run/wharf ]; then : > "/run/wharf/milestone.$1"; fi; }

# One line only, so the host's line parser sees the whole reason.
wharf_error() {
  what=$1
  shift
  echo "WHARF-ERROR $what $(one_line "$*")" >&4
}

log() { echo "wharf: $*" >&4; }

# Errors the guest must not paper over (data at risk): report and power off.
fatal() {
  wharf_error "$@"
  sync
  sleep 1
  poweroff
  exit 1
}

# wait_for <tenths of a second> <test args...>
wait_for() {
  n=$1
  shift
  while ! test "$@"; do
    n=$((n - 1))
    [ "$n" -le 0 ] && return 1
    sleep 0.1
  done
}

# A value from the kernel command line: cmdline_arg wharf.swap
cmdline_arg() {
  for kv in $(cat /proc/cmdline); do
    case "$kv" in "$1"=*) echo "${kv#*=}"; return 0 ;; esac
  done
  return 1
}

# stop_pid <name> <pidfile> <seconds>: SIGTERM, wait, then SIGKILL.
stop_pid() {
  [ -f "$2" ] || return 0
  pid=$(cat "$2")
  kill -0 "$pid" 2>/dev/null || return 0
  log "stopping $1"
  kill -TERM "$pid"
  n=$(($3 * 10))
  while kill -0 "$pid" 2>/dev/null; do
    n=$((n - 1))
    if [ "$n" -le 0 ]; then
      log "$1 did not stop in $3 s, killing it"
      kill -KILL "$pid"
      break
    fi
    sleep 0.1
  done
}

CONFIG_DIR=/run/wharf/config
DATA=/data
