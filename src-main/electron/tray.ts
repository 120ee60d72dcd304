import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { BackendName, VmState } from '../core/contract/types.js';
import { renderTrayIcon } from './icons.js';
import { buildTrayMenu, trayIconFor, trayTooltipFor, type MenuTemplateItem, type TrayIconName, type TrayMenuActions } from './tray-menu.js';

// The pure template must stay a valid Electron template.
const _templateFits: (items: MenuTemplateItem[]) => MenuItemConstructorOptions[] = (items) => items;

const images = new Map<TrayIconName, NativeImage>();

/** 16 px and 32 px (@2x) representations drawn in memory: no asset paths to resolve. */
export function trayImage(name: TrayIconName): NativeImage {
  let image = images.get(name);
  if (!image) {
    image = nativeImage.createEmpty();
    image.addRepresentation({ scaleFactor: 1, width: 16, height: 16, buffer: renderTrayIcon(name, 16) });
    image.addRepresentation({ scaleFactor: 2, width: 32, height: 32, buffer: renderTrayIcon(name, 32) });
    images.set(name, image);
  }
  return image;
}

/** The tray icon: its image, tooltip and menu follow the VM state. */
export class WharfTray {
  private readonly tray: Tray;
  private state: VmState = { state: 'stopped' };
  private backend?: BackendName;

  constructor(private readonly actions: TrayMenuActions, initial: VmState, backend?: BackendName) {
    this.backend = backend;
    this.tray = new Tray(trayImage(trayIconFor(initial)));
    // Windows and most Linux shells: a left click opens the dashboard and the menu is on right click.
    // On macOS any click opens the menu, so a click must not also pop the window up.
    if (process.platform !== 'darwin') this.tray.on('click', () => this.actions.onDashboard());
    this.update(initial);
  }

  update(state: VmState): void {
    this.state = state;
    this.tray.setImage(trayImage(trayIconFor(state)));
    this.tray.setToolTip(trayTooltipFor(state, this.backend));
    // Linux (AppIndicator) only picks up a changed menu through setContextMenu.
    this.tray.setContextMenu(Menu.buildFromTemplate(_templateFits(buildTrayMenu(state, { ...this.actions, backend: this.backend }))));
  }

  /** After a backend switch the menu and tooltip name the new one. */
  setBackend(backend: BackendName): void {
    if (backend === this.backend) return;
    this.backend = backend;
    this.update(this.state);
  }

  get current(): VmState {
    return this.state;
  }

  destroy(): void {
    this.tray.destroy();
  }
}
