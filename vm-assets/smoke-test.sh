#!/bin/bash
# End-to-end check of a built guest image with the host's real docker CLI:
# boots it under QEMU with the ABI command line (vm-assets/README.md), then
# docker version / build FROM scratch / run / run -p + hostfwd_add / a named
# volume across a reboot / the shell on shell.sock / system_powerdown.
#
#   vm-assets/smoke-test.sh [IMAGE_DIR]     (default: the image for the current tree)
#
# Needs: qemu-system-x86_64, docker (CLI only), openssl, python3, busybox (static),
# curl. Everything lives in a fresh mktemp dir; only 127.0.0.1 is used.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${WHARF_CACHE:-$HOME/.cache/wharf}
if [ $# -ge 1 ]; then
  IMG=$1
else
  HASH=$(cd "$REPO" && node --import tsx -e "import('./src-main/core/vm/assets.ts').then(async m => console.log(await m.manifestHash()))")
  IMG=$CACHE/images/$HASH
fi
[ -f "$IMG/image.json" ] || { echo "no image at $IMG (npm run vm:build)"; exit 1; }
ACCEL=${WHARF_ACCEL:-tcg}
W=$(mktemp -d /tmp/wharf-smoke-XXXXXX)
PORT=$((20000 + RANDOM % 20000))
WEBPORT=$((PORT + 1))
echo "image $IMG, workdir $W, docker port $PORT"

cleanup() {
  if [ -f "$W/qemu.pid" ]; then kill "$(cat "$W/qemu.pid")" 2>/dev/null || true; fi
}
trap cleanup EXIT

# Throwaway CA, server cert (IP:127.0.0.1) and client cert.
cd "$W"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 1 -subj /CN=smoke-ca 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj /CN=wharf-guest 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > srv.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server-cert.pem -days 1 -extfile srv.ext 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout key.pem -out client.csr -subj /CN=smoke-client 2>/dev/null
printf 'extendedKeyUsage=clientAuth\n' > cli.ext
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out cert.pem -days 1 -extfile cli.ext 2>/dev/null
mkdir -p cfg/tls && cp ca.pem server-cert.pem server-key.pem cfg/tls/
echo '{}' > cfg/daemon.json
printf 'HOST_UID=%s\n' "$(id -u)" > cfg/env
: > cfg/shares
tar -C cfg -cf config.tar tls daemon.json env shares
truncate -s 4G data.img

boot() {
  rm -f console.log qmp.sock shell.sock qemu.pid
  START=$(date +%s.%N)
  qemu-system-x86_64 -machine q35 -accel "$ACCEL" -cpu max -smp 2 -m 2048 -nographic -nodefaults -no-user-config \
    -kernel "$IMG/vmlinuz" -initrd "$IMG/initrd.img" -append "console=ttyS0 panic=-1 quiet wharf.swap=256" \
    -drive if=virtio,file="$IMG/rootfs.squashfs",format=raw,readonly=on \
    -drive if=virtio,file=data.img,format=raw,discard=unmap \
    -fw_cfg name=opt/wharf/config.tar,file=config.tar \
    -netdev user,id=net0,hostfwd=tcp:127.0.0.1:$PORT-:2376 -device virtio-net-pci,netdev=net0 \
    -chardev socket,id=shell,path=shell.sock,server=on,wait=off -device virtio-serial-pci \
    -device virtconsole,chardev=shell,name=wharf.shell \
    -device virtio-balloon-pci,free-page-reporting=on \
    -serial file:console.log -qmp unix:qmp.sock,server=on,wait=off -pidfile qemu.pid > qemu.out 2>&1 &
  for _ in $(seq 1 1800); do
    grep -aq 'WHARF-MILESTONE ready' console.log 2>/dev/null && break
    grep -aq 'WHARF-ERROR\|Power down' console.log 2>/dev/null && { cat console.log; exit 1; }
    sleep 0.1
  done
  grep -aq 'WHARF-MILESTONE ready' console.log || { echo "not ready after 180 s"; cat console.log; exit 1; }
  echo "ready after $(echo "$(date +%s.%N) - $START" | bc) s"
}

qmp() {
  python3 - "$W/qmp.sock" "$@" <<'EOF'
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile('rw'); f.readline()
def cmd(c, **a):
    f.write(json.dumps({'execute': c, 'arguments': a} if a else {'execute': c}) + '\n'); f.flush()
    while True:
        r = json.loads(f.readline())
        if 'return' in r or 'error' in r: return r
cmd('qmp_capabilities')
r = cmd('human-monitor-command', **{'command-line': sys.argv[3]}) if sys.argv[2] == 'hmp' else cmd(sys.argv[2])
if 'error' in r: sys.exit(str(r))
EOF
}

powerdown() {
  local t0 pid
  t0=$(date +%s.%N)
  pid=$(cat qemu.pid) # qemu removes its pidfile when it exits
  qmp system_powerdown
  for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { echo "FAIL: qemu still running 60 s after system_powerdown"; exit 1; }
  echo "qemu exited $(echo "$(date +%s.%N) - $t0" | bc) s after system_powerdown"
  grep -aq 'data disk unmounted' console.log || { echo "FAIL: data disk not cleanly unmounted"; exit 1; }
}

expect() {
  if [ "$3" = "$2" ]; then echo "$1: ok"; else echo "FAIL $1: expected '$2', got '$3'"; exit 1; fi
}

D=(docker --tlsverify --tlscacert ca.pem --tlscert cert.pem --tlskey key.pem -H "tcp://127.0.0.1:$PORT")

boot
"${D[@]}" version --format 'engine {{.Server.Version}}, API {{.Server.APIVersion}}'
mkdir -p ctx && cp "$(command -v busybox)" ctx/busybox
printf 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox","--install","-s","/bin"]\nCMD ["/bin/sh"]\n' > ctx/Dockerfile
"${D[@]}" build -q -t wharf-smoke:bb ctx
expect "docker run" hi "$("${D[@]}" run --rm wharf-smoke:bb echo hi)"
cid=$("${D[@]}" run -d --name web -p 8080:80 wharf-smoke:bb httpd -f -p 80 -h /etc)
qmp hmp "hostfwd_add tcp:127.0.0.1:$WEBPORT-:8080"
sleep 1
expect "docker run -p + hostfwd_add" "${cid:0:12}" "$(curl -s -m 10 "http://127.0.0.1:$WEBPORT/hostname")"
"${D[@]}" run --rm -v smoke-vol:/v wharf-smoke:bb sh -c 'echo kept > /v/f'
python3 - "$W/shell.sock" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(0.3)
s.sendall(b'\necho shell-$((6*7))\n'); out = b''; end = time.time() + 8
while time.time() < end and b'shell-42' not in out:
    try: out += s.recv(4096)
    except socket.timeout: pass
print('shell on shell.sock: ' + ('ok' if b'shell-42' in out else 'FAIL'))
sys.exit(0 if b'shell-42' in out else 1)
EOF
powerdown

boot
expect "named volume survived a reboot" kept "$("${D[@]}" run --rm -v smoke-vol:/v wharf-smoke:bb cat /v/f)"
powerdown
echo "all smoke checks passed ($W)"
