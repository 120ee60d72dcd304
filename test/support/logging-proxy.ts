import http from 'node:http';
import net from 'node:net';

/**
 * A tiny forward proxy on 127.0.0.1 for the proxy tests. It logs every request
 * (absolute-URI GETs and CONNECTs) and forwards only the names it was given,
 * each to a port on this host's loopback — as a corporate proxy resolves
 * names its clients cannot. Anything else gets 502, so nothing leaks out.
 */
export interface LoggingProxy {
  port: number;
  log: string[];
  close(): Promise<void>;
}

export async function startLoggingProxy(routes: Record<string, number>): Promise<LoggingProxy> {
  const log: string[] = [];
  const route = (hostPort: string): number | undefined => routes[hostPort];
  const server = http.createServer((req, res) => {
    log.push(`${req.method} ${req.url}`);
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute URI expected');
      return;
    }
    const port = route(target.host);
    if (!port) {
      res.writeHead(502).end(`not routed: ${target.host}`);
      return;
    }
    const up = http.request({ host: '127.0.0.1', port, method: req.method, path: target.pathname + target.search, headers: { ...req.headers, host: target.host } }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', (err) => res.writeHead(502).end(err.message));
    req.pipe(up);
  });
  server.on('connect', (req, socket: net.Socket, head) => {
    log.push(`CONNECT ${req.url}`);
    const port = route(req.url ?? '');
    if (!port) {
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const up = net.connect(port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, log, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}
