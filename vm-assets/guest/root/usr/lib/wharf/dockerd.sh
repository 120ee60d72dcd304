# containerd and dockerd. dockerd listens on the unix socket and, with the host's
# certificates, on TCP 2376 with mutual TLS (the host's socket proxy connects there).
TLS=$CONFIG_DIR/tls
GOOD_JSON=/var/lib/wharf/daemon.json.good
DOCKERD_LOG=/var/log/dockerd.log
# 2376 in the VM; under WSL the host picks a free one (all distros share WSL's localhost).
ENGINE_PORT=${WHARF_ENGINE_PORT:-2376}

spawn_containerd() {
  containerd > /var/log/containerd.log 2>&1 &
  echo $! > /run/wharf/containerd.pid
}

wait_containerd() {
  wait_for 600 -S /run/containerd/containerd.sock || wharf_error containerd "no socket after 60 s: $(tail -n 3 /var/log/containerd.log)"
  milestone containerd
}

dockerd_args() {
  set -- --config-file /etc/docker/daemon.json --containerd /run/containerd/containerd.sock \
    --pidfile /run/docker.pid -H unix:///var/run/docker.sock
  if [ -f "$TLS/ca.pem" ] && [ -f "$TLS/server-cert.pem" ] && [ -f "$TLS/server-key.pem" ]; then
    set -- "$@" --tlsverify --tlscacert "$TLS/ca.pem" --tlscert "$TLS/server-cert.pem" \
      --tlskey "$TLS/server-key.pem" -H "tcp://0.0.0.0:$ENGINE_PORT"
  fi
  # As on Docker Desktop, `--add-host NAME:host-gateway` reaches the host (QEMU's
  # 10.0.2.2; under WSL its default gateway) rather than the guest's docker0,
  # unless daemon.json says otherwise.
  grep -q '"host-gateway-ip"' /etc/docker/daemon.json 2>/dev/null || set -- "$@" --host-gateway-ip "${WHARF_HOST_GATEWAY:-10.0.2.2}"
  # Under WSL every distro shares one cgroup tree: keep clear of a docker in another distro.
  if [ -n "${WHARF_CGROUP_PARENT:-}" ] && ! grep -q '"cgroup-parent"' /etc/docker/daemon.json 2>/dev/null; then
    set -- "$@" --cgroup-parent "$WHARF_CGROUP_PARENT"
  fi
  echo "$@"
}

# cgroup v2: dockerd decides whether swap limits work by looking for
# memory.swap.max in its *own* cgroup. The root cgroup has none, so a dockerd
# left there says "Your kernel does not support swap limit capabilities" and
# drops --memory-swap although the kernel accounts swap. It runs in a child
# group with the memory controller enabled instead (containers stay in /docker).
ENGINE_CGROUP=/sys/fs/cgroup/wharf.engine
engine_cgroup() {
  [ -d "$ENGINE_CGROUP" ] && return 0
  # One at a time: a single write fails as a whole if any controller is missing.
  for c in cpuset cpu io memory pids hugetlb; do
    echo "+$c" > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
  done
  mkdir -p "$ENGINE_CGROUP" || wharf_error dockerd "cannot create $ENGINE_CGROUP; swap limits will not work"
}

spawn_dockerd() {
  : > "$DOCKERD_LOG"
  engine_cgroup
  # The cgroup is joined before exec, so dockerd reads the right /proc/self/cgroup from the start.
  # The proxies the host configured for pulls (Settings → Proxies) reach dockerd's
  # environment only; read as data, never sourced.
  # shellcheck disable=SC2046,SC2016 # the arguments contain no spaces by construction
  (
    while IFS= read -r kv; do
      case "$kv" in HTTP_PROXY=*|HTTPS_PROXY=*|NO_PROXY=*) export "${kv?}" ;; esac
    done < /run/wharf/env
    exec sh -c 'echo $$ > "$0/cgroup.procs" 2>/dev/null; exec dockerd "$@"' "$ENGINE_CGROUP" $(dockerd_args)
  ) >> "$DOCKERD_LOG" 2>&1 &
  echo $! > /run/wharf/dockerd.pid
}

# wait_dockerd: waits until dockerd serves its API. Returns 1 if it exits first.
# dockerd logs "API listen on …" once per listener, right as it starts serving.
# The log is read incrementally on one descriptor with builtins: a grep per poll
# is a fork and exec that, on one emulated vCPU, dockerd's own start pays for.
wait_dockerd() {
  pid=$(cat /run/wharf/dockerd.pid)
  need_tls=
  [ -f "$TLS/ca.pem" ] && need_tls=1
  unix= tcp= pending=
  exec 3< "$DOCKERD_LOG"
  while kill -0 "$pid" 2>/dev/null; do
    while :; do
      if IFS= read -r line <&3; then
        line=$pending$line
        pending=
      else
        # A line dockerd has not finished writing: keep it for the next poll.
        pending=$pending$line
        break
      fi
      case "$line" in
        *'API listen on /var/run/docker.sock'*) unix=1 ;;
        *"API listen on [::]:$ENGINE_PORT"*) tcp=1 ;;
      esac
    done
    if [ -n "$unix" ] && { [ -z "$need_tls" ] || [ -n "$tcp" ]; }; then
      exec 3<&-
      return 0
    fi
    sleep 0.1
  done
  exec 3<&-
  wait "$pid" 2>/dev/null
  return 1
}

last_log_lines() { grep -v '^$' "$DOCKERD_LOG" | tail -n "${1:-3}" | sed 's/^time="[^"]*" //'; }

install_daemon_json() {
  mkdir -p /etc/docker
  if [ -f "$1" ]; then cp "$1" /etc/docker/daemon.json; else echo '{}' > /etc/docker/daemon.json; fi
}

# The host's daemon.json is tried first. If dockerd rejects it, the last one that
# worked (kept on the data disk) is used and the host is told why.
start_engine() {
  [ -f "$TLS/ca.pem" ] || wharf_error tls "no tls/ca.pem in the config; dockerd serves the unix socket only"
  ulimit -n 1048576
  spawn_containerd
  new=$CONFIG_DIR/daemon.json
  [ -f "$new" ] || new=/nonexistent
  # Validating costs seconds of TCG time; only a daemon.json that changed needs it.
  if [ -f "$new" ] && ! cmp -s "$new" "$GOOD_JSON" && ! out=$(dockerd --validate --config-file "$new" 2>&1); then
    echo "WHARF-DAEMONJSON-REJECTED $(one_line "$(echo "$out" | tail -n 1)")" >&4
    new=/nonexistent
    install_daemon_json "$GOOD_JSON"
  else
    install_daemon_json "$new"
  fi
  # dockerd waits for containerd's socket itself; starting both at once overlaps
  # their (slow, under TCG) start-up. The milestones keep their order.
  spawn_dockerd
  wait_containerd
  milestone dockerd
  if wait_dockerd; then
    [ -f "$new" ] && cp "$new" "$GOOD_JSON"
    return 0
  fi
  # Only a daemon.json that differs from the last good one can be blamed; with the
  # same file the failure is dockerd's own (reported below).
  if [ -f "$new" ] && ! cmp -s "$new" "$GOOD_JSON"; then
    echo "WHARF-DAEMONJSON-REJECTED $(one_line "$(last_log_lines 2)")" >&4
    install_daemon_json "$GOOD_JSON"
    spawn_dockerd
    wait_dockerd && return 0
  fi
  wharf_error dockerd "$(last_log_lines 3)"
  return 1
}
