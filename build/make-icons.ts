/**
 * Writes Wharf's icons as PNGs (run: node --import tsx build/make-icons.ts):
 *   build/icon.png             512×512 app icon; electron-builder derives .icns/.ico from it
 *   build/tray/<state>.png     16×16 tray icons, and <state>@2x.png at 32×32
 * The tray itself draws the same images in memory (src-main/electron/icons.ts),
 * so these files are for packaging and for looking at; they are tiny and committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAppIcon, renderTrayIcon } from '../src-main/electron/icons.js';
import { TRAY_ICON_NAMES } from '../src-main/electron/tray-menu.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const trayDir = path.join(here, 'tray');
mkdirSync(trayDir, { recursive: true });

const written: string[] = [];
function write(file: string, data: Buffer): void {
  writeFileSync(file, data);
  written.push(`${path.relative(here, file)} (${data.length} bytes)`);
}

write(path.join(here, 'icon.png'), renderAppIcon(512));
for (const name of TRAY_ICON_NAMES) {
  write(path.join(trayDir, `${name}.png`), renderTrayIcon(name, 16));
  write(path.join(trayDir, `${name}@2x.png`), renderTrayIcon(name, 32));
}
console.log(`wrote ${written.join(', ')}`);
