/**
 * wsl.exe's own messages are UTF-16LE unless WSL_UTF8=1 is honoured (WSL ≥ 0.64);
 * output of Linux commands run with --exec is raw bytes. We always set
 * WSL_UTF8=1 and still decode UTF-16LE (with or without a BOM) as a fallback.
 */
export function decodeWslOutput(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return stripNuls(buf.subarray(2).toString('utf16le'));
  if (looksUtf16le(buf)) return stripNuls(buf.toString('utf16le'));
  return stripNuls(buf.toString('utf8'));
}

/** ASCII-heavy UTF-16LE has a NUL in most odd bytes; UTF-8 text has none. */
function looksUtf16le(buf: Buffer): boolean {
  const pairs = Math.floor(buf.length / 2);
  if (pairs === 0) return false;
  let oddNuls = 0;
  for (let i = 1; i < buf.length; i += 2) if (buf[i] === 0) oddNuls++;
  return oddNuls / pairs > 0.5;
}

function stripNuls(s: string): string {
  return s.split('\u0000').join('').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
}

/**
 * `--list --quiet`: one distro name per line, no header, nothing localized.
 * On a machine without distributions wsl.exe prints a sentence and a Store URL
 * instead (MicrosoftDocs/WSL#571); a name never holds whitespace, ':' or a
 * slash, so such lines are not names, whatever the exit code or the language.
 */
export function parseDistroList(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/[\s:/\\]/.test(l));
}

export interface WslVersions {
  wsl?: string;
  kernel?: string;
}

/**
 * `--version` prints "label: number" lines in the user's language (WSL, then
 * the kernel, WSLg, MSRDC, Direct3D, DXCore, Windows). Only the order and the
 * numbers are stable, so read the first dotted number of the first two lines.
 */
export function parseWslVersion(text: string): WslVersions | undefined {
  const numbers = text.split('\n').map((l) => /(\d+(?:\.\d+)+)/.exec(l)?.[1]).filter((n): n is string => Boolean(n));
  if (numbers.length < 2) return undefined;
  return { wsl: numbers[0], kernel: numbers[1] };
}

/** -1 < 0 < 1 on dotted numbers; missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
