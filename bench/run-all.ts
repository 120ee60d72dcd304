import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Runs every bench script in this folder, one after another. Not part of npm test. */
const dir = path.dirname(fileURLToPath(import.meta.url));
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('-bench.ts')).sort()) {
  console.log(`\n=== ${f}`);
  spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, f)], { stdio: 'inherit' });
}
