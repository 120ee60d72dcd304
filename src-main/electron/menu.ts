import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu as a pure template builder (only a type import from
 * electron), so it is unit-tested without Electron. main.ts passes the
 * template to Menu.buildFromTemplate.
 */
export interface AppMenuOptions {
  platform: NodeJS.Platform;
  /** Reload and DevTools appear only in development. */
  isDev: boolean;
  onAbout(): void;
  onSettings(): void;
  onQuit(): void;
}

const sep: MenuItemConstructorOptions = { type: 'separator' };

export function buildAppMenu(opts: AppMenuOptions): MenuItemConstructorOptions[] {
  const mac = opts.platform === 'darwin';
  const mod = mac ? 'Command' : 'Control';

  const appMenu: MenuItemConstructorOptions = {
    id: 'app',
    label: 'Wharf',
    submenu: [
      { id: 'about', label: 'About Wharf', click: () => opts.onAbout() },
      sep,
      { id: 'settings', label: 'Settings…', accelerator: `${mod}+,`, click: () => opts.onSettings() },
      sep,
      ...(mac
        ? ([
          { role: 'services' },
          sep,
          { role: 'hide', label: 'Hide Wharf' },
          { role: 'hideOthers' },
          { role: 'unhide' },
          sep,
        ] satisfies MenuItemConstructorOptions[])
        : []),
      // Not role 'quit': the click goes through the same graceful path as the tray's Quit.
      { id: 'quit', label: 'Quit Wharf', accelerator: `${mod}+Q`, click: () => opts.onQuit() },
    ],
  };

  const editMenu: MenuItemConstructorOptions = {
    id: 'edit',
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      sep,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'delete' },
      sep,
      { role: 'selectAll' },
    ],
  };

  const viewMenu: MenuItemConstructorOptions = {
    id: 'view',
    label: 'View',
    submenu: [
      ...(opts.isDev
        ? ([
          { role: 'reload' },
          { role: 'forceReload' },
          { role: 'toggleDevTools' },
          sep,
        ] satisfies MenuItemConstructorOptions[])
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      sep,
      { role: 'togglefullscreen' },
    ],
  };

  const windowMenu: MenuItemConstructorOptions = {
    id: 'window',
    label: 'Window',
    role: 'windowMenu',
    submenu: [
      { role: 'minimize' },
      ...(mac ? ([{ role: 'zoom' }, sep, { role: 'front' }] satisfies MenuItemConstructorOptions[]) : []),
      // Closing only hides the window; the engine and the tray keep running.
      { role: 'close' },
    ],
  };

  return [appMenu, editMenu, viewMenu, windowMenu];
}
