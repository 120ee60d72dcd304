import os from 'node:os';
import type { ControlClient } from '../../core/transports/control-client.js';
import type { Command } from '../args.js';
import { typedClient } from '../connect.js';
import { parseSetArgs, formatGet } from '../../core/settings/cli-parse.js';

/** `wharf set/get/diagnose/reset`: the same settings service the UI uses. */
export async function settingsCommand(conn: ControlClient, cmd: Extract<Command, { name: 'set' | 'get' | 'diagnose' | 'reset' }>, out: NodeJS.WritableStream): Promise<number> {
  const api = typedClient(conn);
  switch (cmd.name) {
    case 'set': {
      const patch = parseSetArgs(cmd.assignments, { cwd: process.cwd(), home: os.homedir() });
      const { plan } = await api.settings.set(patch);
      out.write(`Saved: ${plan.changed.join(', ') || 'nothing changed'}.\n`);
      for (const w of plan.warnings ?? []) out.write(`Note: ${w}\n`);
      if (plan.restartsVm || plan.restartsEngine) out.write(`Run \`wharf restart\` to apply (${plan.restartsVm ? 'restarts the VM' : 'restarts the engine'}).\n`);
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
