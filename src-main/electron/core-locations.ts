import { existsSync } from 'node:fs';
import path from 'node:path';

/** Where the core reads the inputs of the image hash (vm-assets/) and finds built images. */
export interface CoreLocations {
  repoRoot: string;
  /** Absent: $WHARF_CACHE (development, or a package built without an image). */
  cacheDir?: string;
}

export interface AppPlace {
  isPackaged: boolean;
  /** process.resourcesPath: resources/ of the installed app. */
  resourcesPath: string;
  /** app.getAppPath(): the repo checkout in development. */
  appPath: string;
}

/**
 * In development vm-assets/ is the repo's and images come from the build cache. A package
 * ships both under resources/ (electron-builder.yml): vm-assets/ so the core computes the
 * same hash the builder named the image by, and vm-image/ in the layout of a Wharf cache.
 * Kept apart from main.ts (which needs Electron) so the packaging test starts a core with
 * exactly these locations under Node.
 */
export function coreLocations(place: AppPlace, exists: (p: string) => boolean = existsSync): CoreLocations {
  if (!place.isPackaged) return { repoRoot: place.appPath };
  const shippedImages = path.join(place.resourcesPath, 'vm-image');
  return { repoRoot: place.resourcesPath, ...(exists(shippedImages) ? { cacheDir: shippedImages } : {}) };
}
