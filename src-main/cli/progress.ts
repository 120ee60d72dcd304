import type { BootProgress } from '../core/contract/types.js';

/** One line of boot progress: a bar, the milestone and the elapsed time. */
export function renderProgress(p: BootProgress, width = 30): string {
  const filled = Math.round(p.fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(p.fraction * 100)}% ${p.milestone} (${p.elapsedSeconds.toFixed(1)} s)`;
}
