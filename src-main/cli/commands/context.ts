import type { DockerContextInfo } from '../../core/contract/types.js';
import type { Command } from '../args.js';
import type { ControlClient } from '../../core/transports/control-client.js';
import { typedClient } from '../connect.js';

type ContextCommand = Extract<Command, { name: 'context' }>;

/** `wharf context`: the docker CLI's contexts, which one Wharf's views show, and switching it. */
export async function contextCommand(conn: ControlClient, cmd: ContextCommand, out: NodeJS.WritableStream): Promise<number> {
  const api = typedClient(conn);
  if (cmd.action === 'use') {
    const c = await api.contexts.select(cmd.context!);
    out.write(c.kind === 'wharf' ? 'Wharf\'s views show its own VM again.\n' : `Wharf's containers, images and volumes views now show ${c.name} (${c.host}).\n`);
    return 0;
  }
  if (cmd.action === 'check') {
    const r = await api.contexts.check(cmd.context!);
    out.write(`${cmd.context}: docker ${r.version} answers.\n`);
    return 0;
  }
  const list = await api.contexts.list();
  out.write(cmd.json ? JSON.stringify(list, null, 2) + '\n' : formatContexts(list) + '\n');
  return 0;
}

export function formatContexts(list: readonly DockerContextInfo[]): string {
  const rows = list.map((c) => [
    `${c.viewed ? '*' : ' '} ${c.name}`,
    c.kind === 'wharf' ? 'wharf VM' : c.kind,
    c.host + (c.tls ? ' (TLS)' : ''),
    c.cliCurrent ? 'yes' : '',
  ]);
  const head = ['  NAME', 'TYPE', 'ENDPOINT', 'DOCKER CLI CURRENT'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [fmt(head), ...rows.map(fmt)].join('\n');
}
