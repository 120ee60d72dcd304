/**
 * The core as a packaged app starts it, under Node: hostCore with the locations main.ts
 * derives when app.isPackaged, resources/ being the argument (the package's own resources/).
 * Used by packaging.test.ts, since the package's Electron binary is a placeholder here.
 */
import { hostCore } from '../../src-main/electron/core-facade.js';
import { coreLocations } from '../../src-main/electron/core-locations.js';

const resources = process.argv[2];
if (!resources) {
  console.error('usage: packaged-core.ts <package>/resources');
  process.exit(2);
}
const core = await hostCore({
  ...coreLocations({ isPackaged: true, resourcesPath: resources, appPath: '' }),
  log: (m) => console.error(`[packaged core] ${m}`),
});
console.log(`core ${core.mode}`);
let leaving = false;
process.on('SIGTERM', () => {
  if (leaving) return;
  leaving = true;
  void core.engine.stop().catch(() => undefined).then(() => core.shutdown()).finally(() => process.exit(0));
});
