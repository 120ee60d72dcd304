/**
 * The text side of %UserProfile%\.wslconfig: an INI file that the user (and
 * other tools) own. Wharf changes three keys of [wsl2] and nothing else: every
 * other key, section, comment, blank line and line ending stays as it was.
 */

/** What Wharf writes; sizes in MiB, written as WSL reads them ("4GB", "1536MB"). */
export interface WslConfigValues {
  processors: number;
  memoryMiB: number;
  swapMiB: number;
}

/** The values [wsl2] sets now, as written in the file (absent = WSL's default). */
export interface WslConfigCurrent {
  processors?: string;
  memory?: string;
  swap?: string;
}

const KEYS = ['processors', 'memory', 'swap'] as const;
type Key = typeof KEYS[number];

/** WSL refuses to boot its VM with less; Wharf's own floor is higher anyway. */
const MIN_MEMORY_MiB = 256;
const MAX_MiB = 1024 * 1024;

/** Why these values cannot be written, one sentence each; empty when they can. */
export function checkWslConfigValues(v: WslConfigValues): string[] {
  const errors: string[] = [];
  if (!Number.isInteger(v.processors) || v.processors < 1 || v.processors > 1024) {
    errors.push(`processors must be a whole number of CPUs, at least 1; got ${String(v.processors)}`);
  }
  if (!Number.isInteger(v.memoryMiB) || v.memoryMiB < MIN_MEMORY_MiB || v.memoryMiB > MAX_MiB) {
    errors.push(`memory must be a whole number of MiB between ${MIN_MEMORY_MiB} and ${MAX_MiB}; got ${String(v.memoryMiB)}`);
  }
  if (!Number.isInteger(v.swapMiB) || v.swapMiB < 0 || v.swapMiB > MAX_MiB) {
    errors.push(`swap must be a whole number of MiB, 0 (off) or more; got ${String(v.swapMiB)}`);
  }
  return errors;
}

/** 4096 -> "4GB", 1536 -> "1536MB", 0 -> "0". WSL reads GB/MB as binary units. */
export function formatWslSize(mib: number): string {
  if (mib === 0) return '0';
  return mib % 1024 === 0 ? `${mib / 1024}GB` : `${mib}MB`;
}

function valueFor(key: Key, v: WslConfigValues): string {
  switch (key) {
    case 'processors': return String(v.processors);
    case 'memory': return formatWslSize(v.memoryMiB);
    case 'swap': return formatWslSize(v.swapMiB);
  }
}

interface Line {
  /** The line without its line ending. */
  body: string;
  /** '\r\n', '\n' or '' (the last line of a file without a final newline). */
  eol: string;
}

function splitLines(text: string): Line[] {
  if (text === '') return [];
  return text.split(/(?<=\n)/).map((raw) => {
    const eol = raw.endsWith('\r\n') ? '\r\n' : raw.endsWith('\n') ? '\n' : '';
    return { body: raw.slice(0, raw.length - eol.length), eol };
  });
}

/** The file's own line ending; CRLF for a new file (it is a Windows file). */
function fileEol(text: string): string {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  if (crlf === 0 && lf === 0) return '\r\n';
  return crlf >= lf ? '\r\n' : '\n';
}

const SECTION = /^\s*\[([^\]]*)\]\s*(?:[#;].*)?$/;
const ENTRY = /^(\s*)([^=#;[\s][^=]*?)(\s*=\s*)(.*?)(\s+[#;].*)?$/;

function sectionName(body: string): string | undefined {
  const m = SECTION.exec(body);
  return m ? m[1]!.trim().toLowerCase() : undefined;
}

function entry(body: string): { indent: string; key: string; sep: string; value: string; comment: string } | undefined {
  if (/^\s*[#;]/.test(body)) return undefined;
  const m = ENTRY.exec(body);
  return m ? { indent: m[1]!, key: m[2]!.trim(), sep: m[3]!, value: m[4]!.trim(), comment: m[5] ?? '' } : undefined;
}

/** Walks the lines and reports, per line, the section it is in (lower case; '' before any). */
function sections(lines: Line[]): string[] {
  let current = '';
  return lines.map((l) => {
    const s = sectionName(l.body);
    if (s !== undefined) current = s;
    return current;
  });
}

export function readWslConfig(text: string): WslConfigCurrent {
  const lines = splitLines(text.replace(/^\uFEFF/, ''));
  const where = sections(lines);
  const out: WslConfigCurrent = {};
  lines.forEach((l, i) => {
    if (where[i] !== 'wsl2') return;
    const e = entry(l.body);
    const key = e?.key.toLowerCase() as Key | undefined;
    if (e && key && (KEYS as readonly string[]).includes(key) && out[key] === undefined) out[key] = e.value;
  });
  return out;
}

/**
 * The file with [wsl2] processors, memory and swap set to `v`. The first
 * occurrence of each key is changed in place (its spelling, indentation and
 * trailing comment kept); later duplicates are commented out, so which one WSL
 * reads no longer matters. Missing keys go at the end of the first [wsl2]
 * section; a file without one gets the section appended.
 */
export function mergeWslConfig(text: string, v: WslConfigValues): string {
  const errors = checkWslConfigValues(v);
  if (errors.length) throw new Error(errors.join('; '));
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  const eol = fileEol(body);
  const lines = splitLines(body);
  const where = sections(lines);
  const seen = new Set<Key>();
  let firstSection = -1;
  let lastContent = -1;
  let firstBlockOver = false;

  lines.forEach((l, i) => {
    const header = sectionName(l.body) !== undefined;
    if (header && firstSection !== -1) firstBlockOver = true;
    if (where[i] !== 'wsl2') return;
    if (firstSection === -1) firstSection = i;
    // Only the first [wsl2] block takes new keys: remember where its content ends.
    if (!firstBlockOver && !header && l.body.trim() !== '') lastContent = i;
    const e = entry(l.body);
    const key = e?.key.toLowerCase() as Key | undefined;
    if (!e || !key || !(KEYS as readonly string[]).includes(key)) return;
    if (seen.has(key)) {
      l.body = `# ${l.body.trim()}   # Wharf: duplicate, the ${e.key}= above applies`;
      return;
    }
    seen.add(key);
    l.body = `${e.indent}${e.key}${e.sep}${valueFor(key, v)}${e.comment}`;
  });

  const missing = KEYS.filter((k) => !seen.has(k)).map((k): Line => ({ body: `${k}=${valueFor(k, v)}`, eol }));
  if (missing.length > 0) {
    if (firstSection === -1) {
      const last = lines[lines.length - 1];
      if (last && last.eol === '') last.eol = eol;
      if (last && last.body.trim() !== '') lines.push({ body: '', eol });
      lines.push({ body: '[wsl2]', eol }, ...missing);
    } else {
      const at = lastContent === -1 ? firstSection : lastContent;
      // The line we insert after may be the file's last one, without a newline.
      if (lines[at]!.eol === '') lines[at]!.eol = eol;
      lines.splice(at + 1, 0, ...missing);
    }
  }
  return bom + lines.map((l) => l.body + l.eol).join('');
}
