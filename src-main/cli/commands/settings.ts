import os from 'node:os';
import type { ControlClient } from '../../core/transports/control-client.js';
import type { Command } from '../args.js';
import { typedClient } from '../connect.js';
import { parseSetArgs, formatGet } from '../../core/settings/cli-parse.js';
import type { SettingsPatch } from '../../core/contract/settings-schema.js';

/** `wharf set cpus=… memory=… swap=… --host-wide`: the flag is the user's consent to change a shared file. */
async function setHostWide(api: ReturnType<typeof typedClient>, patch: SettingsPatch, out: NodeJS.WritableStream): Promise<number> {
  const others = Object.keys(patch).filter((k) => k !== 'cpus' && k !== 'memory' && k !== 'swap');
  if (others.length) {
    process.stderr.write(`--host-wide writes only cpus, memory and swap; set ${others.join(', ')} in a separate \`wharf set\`.\n`);
    return 2;
  }
  const current = await api.settings.get();
  const r = await api.settings.writeHostWideResources({
    cpus: patch.cpus ?? current.cpus, memory: patch.memory ?? current.memory, swap: patch.swap ?? current.swap, consent: true,
  });
  if (!r.changed) {
    out.write(`${r.file} already has processors=${r.written.cpus}, memory=${r.written.memory}, swap=${r.written.swap}; nothing was written.\n`);
    return 0;
  }
  out.write(`Wrote processors=${r.written.cpus}, memory=${r.written.memory}, swap=${r.written.swap} to ${r.file}${r.backup ? ` (the previous file is in ${r.backup})` : ''}.\n`);
  out.write(`${r.takesEffect}\n`);
  return 0;
}

/** `wharf set/get/diagnose/reset`: the same settings service the UI uses. */
export async function settingsCommand(conn: ControlClient, cmd: Extract<Command, { name: 'set' | 'get' | 'diagnose' | 'reset' }>, out: NodeJS.WritableStream): Promise<number> {
  const api = typedClient(conn);
  switch (cmd.name) {
    case 'set': {
      const patch = parseSetArgs(cmd.assignments, { cwd: process.cwd(), home: os.homedir() });
      if (cmd.hostWide) return setHostWide(api, patch, out);
      const { plan } = await api.settings.set(patch);
      out.write(`Saved: ${plan.changed.join(', ') || 'nothing changed'}.\n`);
      for (const w of plan.warnings ?? []) out.write(`Note: ${w}\n`);
      const resources = (['cpus', 'memory', 'swap'] as const).filter((k) => k in patch);
      const hostWide = resources.length ? await api.settings.hostWideResources() : null;
      if (hostWide) {
        out.write(`Note: with this backend, ${resources.join(', ')} live in ${hostWide.file}, shared by ${hostWide.sharedWith}; it was not changed. `
          + 'To write them there (a backup of the file is kept), run the same command with --host-wide.\n');
      } else if (plan.restartsVm || plan.restartsEngine) {
        out.write(`Run \`wharf restart\` to apply (${plan.restartsVm ? 'restarts the VM' : 'restarts the engine'}).\n`);
      }
      return 0;
    }
    case 'get': {
      const settings = await api.settings.get();
      out.write(cmd.json ? JSON.stringify(cmd.key ? (settings as Record<string, unknown>)[cmd.key] : settings, null, 2) : formatGet(settings, cmd.key) + '\n');
      return 0;
    }
    case 'diagnose': {
      const r = await api.diagnostics.collect();
      out.write(`Diagnostics written to ${r.archivePath} (${r.bytes} bytes, ${r.files.length} files).\n`);
      return 0;
    }
    case 'reset': {
      if (!cmd.yes) {
        process.stderr.write('wharf reset removes the VM, its disk (all containers, images and volumes), certificates, settings and the docker context.\nRun `wharf reset --yes` to confirm.\n');
        return 2;
      }
      await api.diagnostics.factoryReset('confirm');
      out.write('Wharf was reset to factory defaults.\n');
      return 0;
    }
  }
}
