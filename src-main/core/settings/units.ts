/**
 * Size parsing for `wharf set`. Bare numbers are in the setting's own unit
 * (MiB for memory and swap, GiB for disk) so `wharf get` output can be fed
 * back unchanged. GB/MB are read as GiB/MiB: nobody means 10^9 here, and
 * refusing them would only annoy.
 */

const FACTORS_TO_MiB: Record<string, number> = {
  m: 1, mb: 1, mib: 1,
  g: 1024, gb: 1024, gib: 1024,
  t: 1024 * 1024, tb: 1024 * 1024, tib: 1024 * 1024,
};

export class UnitError extends Error {}

/** Returns MiB, or throws a UnitError whose message fits after "key: ". */
function parseToMiB(text: string, bareUnitMiB: number, bareName: string, example: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) throw new UnitError(`expected a number with an optional unit (${example}); got ${JSON.stringify(text)}`);
  const amount = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  let mib: number;
  if (unit === '') mib = amount * bareUnitMiB;
  else if (unit in FACTORS_TO_MiB) mib = amount * FACTORS_TO_MiB[unit]!;
  else throw new UnitError(`unknown unit "${m[2]}"; use MiB, GiB or TiB, or a bare number of ${bareName} (${example})`);
  return mib;
}

/** "2048" → 2048, "2GiB" → 2048, "512MiB" → 512, "1.5G" → 1536. */
export function parseMiB(text: string): number {
  const mib = parseToMiB(text, 1, 'MiB', 'e.g. 2048, 512MiB or 4GiB');
  if (!Number.isInteger(mib)) throw new UnitError(`must be a whole number of MiB; ${JSON.stringify(text)} is ${mib} MiB`);
  return mib;
}

/** "80" → 80, "80GiB" → 80, "1TiB" → 1024. */
export function parseGiB(text: string): number {
  const mib = parseToMiB(text, 1024, 'GiB', 'e.g. 80 or 80GiB');
  const gib = mib / 1024;
  if (!Number.isInteger(gib)) throw new UnitError(`must be a whole number of GiB; ${JSON.stringify(text)} is ${gib.toFixed(3)} GiB`);
  return gib;
}

/** 2048 → "2 GiB", 1536 → "1536 MiB": for human-facing text only. */
export function formatMiB(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`;
}
