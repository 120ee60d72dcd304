import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Start at login, from settings.startAtLogin. macOS and Windows use
 * app.setLoginItemSettings; Linux has no such API in Electron, so an XDG
 * autostart entry is written instead. A login launch passes --hidden so the
 * app starts in the tray without opening the window.
 */
export const HIDDEN_ARG = '--hidden';

/** The parts of Electron's app this module uses (structural, for tests). */
export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; openAsHidden?: boolean; args?: string[] }): void;
  /** On Windows the entry is keyed by its args: pass the same args to read it back. */
  getLoginItemSettings(options?: { args?: string[] }): { openAtLogin: boolean; wasOpenedAtLogin?: boolean; wasOpenedAsHidden?: boolean };
}

export interface LoginItemEnv {
  platform: NodeJS.Platform;
  /** The executable to start: $APPIMAGE for an AppImage, else process.execPath. */
  execPath: string;
  /** Where XDG autostart entries live (Linux), default ~/.config/autostart. */
  autostartDir?: string;
}

export function linuxAutostartDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'autostart');
}

/** Quotes an Exec= argument per the Desktop Entry spec. */
export function desktopExecQuote(arg: string): string {
  if (!/[\s"'\\`$<>|&;()*?#~=%]/.test(arg)) return arg;
  return `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`).replace(/%/g, '%%')}"`;
}

export function linuxAutostartEntry(execPath: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Wharf',
    'Comment=Docker engine in a lightweight VM',
    `Exec=${desktopExecQuote(execPath)} ${HIDDEN_ARG}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Applies the setting; returns what it did, for the log. */
export async function applyStartAtLogin(app: LoginItemApp, startAtLogin: boolean, env: LoginItemEnv): Promise<string> {
  if (env.platform === 'linux') {
    const file = path.join(env.autostartDir ?? linuxAutostartDir(), 'dev.wharf.app.desktop');
    if (startAtLogin) {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, linuxAutostartEntry(env.execPath), { mode: 0o644 });
      return `wrote ${file}`;
    }
    await rm(file, { force: true });
    return `removed ${file}`;
  }
  const current = app.getLoginItemSettings(env.platform === 'win32' ? { args: [HIDDEN_ARG] } : undefined);
  if (current.openAtLogin === startAtLogin) return `start at login already ${startAtLogin ? 'on' : 'off'}`;
  app.setLoginItemSettings(
    env.platform === 'darwin'
      ? { openAtLogin: startAtLogin, openAsHidden: true }
      : { openAtLogin: startAtLogin, args: [HIDDEN_ARG] },
  );
  return `start at login turned ${startAtLogin ? 'on' : 'off'}`;
}

/** Whether this launch came from the login item and should stay in the tray. */
export function launchedHidden(argv: readonly string[], app: Pick<LoginItemApp, 'getLoginItemSettings'>, platform: NodeJS.Platform): boolean {
  if (argv.includes(HIDDEN_ARG)) return true;
  if (platform === 'darwin') {
    const s = app.getLoginItemSettings();
    return !!(s.wasOpenedAtLogin || s.wasOpenedAsHidden);
  }
  return false;
}
