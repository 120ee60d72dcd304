// Localhost forwarding for the stand-in: like WSL's, it watches the VM's
// listening TCP sockets and listens on the same port on the host's 127.0.0.1,
// piping each connection to the VM (through the veth). Args: <pid in the VM's
// network namespace> <VM address>.
/* global process, console, setInterval */
import fs from 'node:fs';
import net from 'node:net';

const [pid, guestIp] = process.argv.slice(2);
const servers = new Map();

function listeningPorts() {
  const ports = new Set();
  for (const file of [`/proc/${pid}/net/tcp`, `/proc/${pid}/net/tcp6`]) {
    let text;
    try { text = fs.readFileSync(file, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4 || f[3] !== '0A') continue; // 0A = LISTEN
      const [addr, port] = f[1].split(':');
      // Loopback-only listeners inside the VM are not reachable through the veth.
      if (addr === '0100007F' || addr === '00000000000000000000000001000000') continue;
      ports.add(parseInt(port, 16));
    }
  }
  return ports;
}

function sync() {
  if (!fs.existsSync(`/proc/${pid}`)) process.exit(0);
  const want = listeningPorts();
  for (const port of want) {
    if (servers.has(port)) continue;
    const server = net.createServer({ allowHalfOpen: true }, (client) => {
      const up = net.createConnection({ host: guestIp, port, allowHalfOpen: true });
      client.pipe(up); up.pipe(client);
      up.on('error', () => client.destroy());
      client.on('error', () => up.destroy());
    });
    server.on('error', (e) => { console.error(`relay ${port}: ${e.message}`); servers.delete(port); });
    server.listen(port, '127.0.0.1');
    servers.set(port, server);
  }
  for (const [port, server] of servers) if (!want.has(port)) { server.close(); servers.delete(port); }
}

setInterval(sync, 200);
sync();
