/**
 * A small terminal screen model for the exec panel: enough of VT100/xterm to
 * show a busybox or bash shell (cursor moves, erase line/screen, carriage
 * return, backspace, cursor position report) and to drop everything else
 * (colours, OSC titles, modes). Plain text in, plain lines out; no DOM.
 */
export class TermScreen {
  lines: string[] = [''];
  row = 0;
  col = 0;
  /** An escape sequence split across two writes. */
  private pending = '';

  constructor(public cols = 80, public rows = 24, public maxLines = 5000) {}

  resize(cols: number, rows: number): void {
    this.cols = Math.max(1, cols);
    this.rows = Math.max(1, rows);
  }

  /** First line of the visible screen (the rest above is scrollback). */
  get top(): number {
    return Math.max(0, this.lines.length - this.rows);
  }

  text(): string {
    return this.lines.join('\n');
  }

  /** Feeds output; returns bytes the terminal must answer with (e.g. a cursor position report). */
  write(chunk: string): string {
    const data = this.pending + chunk;
    this.pending = '';
    let reply = '';
    let i = 0;
    while (i < data.length) {
      const ch = data[i]!;
      const code = ch.charCodeAt(0);
      if (ch === '\x1b') {
        const consumed = this.escape(data, i, (r) => { reply += r; });
        if (consumed === 0) {
          this.pending = data.slice(i);
          if (this.pending.length > 256) this.pending = ''; // garbage, drop it
          break;
        }
        i += consumed;
        continue;
      }
      i++;
      if (ch === '\r') this.col = 0;
      else if (ch === '\n') this.lineFeed();
      else if (ch === '\b') this.col = Math.max(0, this.col - 1);
      else if (ch === '\t') this.col = Math.min(this.cols - 1, (Math.floor(this.col / 8) + 1) * 8);
      else if (code < 0x20 || code === 0x7f) continue; // bell and other controls
      else this.put(ch);
    }
    this.trim();
    return reply;
  }

  private line(): string {
    return this.lines[this.row] ?? '';
  }

  private setLine(text: string): void {
    this.lines[this.row] = text;
  }

  private put(ch: string): void {
    if (this.col >= this.cols) {
      this.lineFeed();
      this.col = 0;
    }
    const line = this.line().padEnd(this.col, ' ');
    this.setLine(line.slice(0, this.col) + ch + line.slice(this.col + 1));
    this.col++;
  }

  private lineFeed(): void {
    this.row++;
    while (this.lines.length <= this.row) this.lines.push('');
  }

  private trim(): void {
    const extra = this.lines.length - this.maxLines;
    if (extra > 0) {
      this.lines.splice(0, extra);
      this.row = Math.max(0, this.row - extra);
    }
  }

  /** Returns how many characters the sequence at data[i] used, or 0 when it is incomplete. */
  private escape(data: string, i: number, reply: (s: string) => void): number {
    const next = data[i + 1];
    if (next === undefined) return 0;
    if (next === '[') {
      // eslint-disable-next-line no-control-regex
      const m = /^\x1b\[([?>=!]?)([\d;:]*)([ -/]*)([@-~])/.exec(data.slice(i, i + 64));
      if (!m) {
        // Incomplete if only parameter bytes follow; otherwise not a CSI we understand.
        // eslint-disable-next-line no-control-regex
        return /^\x1b\[[?>=!]?[\d;:]*[ -/]*$/.test(data.slice(i, i + 64)) ? 0 : 2;
      }
      this.csi(m[1] ?? '', (m[2] ?? '').split(/[;:]/).map((p) => (p === '' ? NaN : Number(p))), m[4]!, reply);
      return m[0].length;
    }
    if (next === ']' || next === 'P' || next === '_' || next === '^') {
      // OSC / DCS / APC / PM: skip to BEL or ST.
      for (let j = i + 2; j < data.length; j++) {
        if (data[j] === '\x07') return j - i + 1;
        if (data[j] === '\x1b' && data[j + 1] === '\\') return j - i + 2;
      }
      return 0;
    }
    if (next === '(' || next === ')' || next === '#' || next === '%') return data.length > i + 2 ? 3 : 0;
    return 2; // ESC 7, ESC 8, ESC =, ESC >, ESC M …
  }

  private csi(prefix: string, params: number[], final: string, reply: (s: string) => void): void {
    const n = (k: number, dflt = 1) => {
      const v = params[k];
      return v === undefined || Number.isNaN(v) ? dflt : v;
    };
    if (prefix === '?' || prefix === '>' || prefix === '=') {
      return; // private modes (cursor visibility, bracketed paste, …)
    }
    switch (final) {
      case 'A': this.row = Math.max(this.top, this.row - Math.max(1, n(0))); break;
      case 'B': this.row = Math.min(this.lines.length - 1, this.row + Math.max(1, n(0))); break;
      case 'C': this.col = Math.min(this.cols - 1, this.col + Math.max(1, n(0))); break;
      case 'D': this.col = Math.max(0, this.col - Math.max(1, n(0))); break;
      case 'G': this.col = Math.min(this.cols - 1, Math.max(0, n(0) - 1)); break;
      case 'H':
      case 'f': {
        const top = this.top;
        this.row = top + Math.min(this.rows - 1, Math.max(0, n(0) - 1));
        while (this.lines.length <= this.row) this.lines.push('');
        this.col = Math.min(this.cols - 1, Math.max(0, n(1) - 1));
        break;
      }
      case 'K': {
        const mode = n(0, 0);
        const line = this.line();
        if (mode === 0) this.setLine(line.slice(0, this.col));
        else if (mode === 1) this.setLine(' '.repeat(Math.min(this.col + 1, line.length)) + line.slice(this.col + 1));
        else this.setLine('');
        break;
      }
      case 'J': {
        const mode = n(0, 0);
        if (mode === 0) {
          // Blank (not drop) the rest of the screen, so the scrollback and `top` stay put.
          this.setLine(this.line().slice(0, this.col));
          for (let r = this.row + 1; r < this.lines.length; r++) this.lines[r] = '';
        } else if (mode === 2 || mode === 3) {
          this.lines = [''];
          this.row = 0;
          this.col = 0;
        }
        break;
      }
      case 'P': {
        const line = this.line();
        this.setLine(line.slice(0, this.col) + line.slice(this.col + Math.max(1, n(0))));
        break;
      }
      case '@': {
        const line = this.line().padEnd(this.col, ' ');
        this.setLine(line.slice(0, this.col) + ' '.repeat(Math.max(1, n(0))) + line.slice(this.col));
        break;
      }
      case 'X': {
        const count = Math.max(1, n(0));
        const line = this.line().padEnd(this.col + count, ' ');
        this.setLine(line.slice(0, this.col) + ' '.repeat(count) + line.slice(this.col + count));
        break;
      }
      case 'n':
        if (n(0, 0) === 6) reply(`\x1b[${this.row - this.top + 1};${this.col + 1}R`);
        else if (n(0, 0) === 5) reply('\x1b[0n');
        break;
      default:
        break; // SGR colours, scroll regions, modes: ignored
    }
  }
}

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}

/** Maps a keydown to the bytes a terminal sends, or undefined for keys the terminal ignores. */
export function keyToSequence(e: KeyLike): string | undefined {
  if (e.metaKey) return undefined;
  const special: Record<string, string> = {
    Enter: '\r', Backspace: '\x7f', Tab: '\t', Escape: '\x1b',
    ArrowUp: '\x1b[A', ArrowDown: '\x1b[B', ArrowRight: '\x1b[C', ArrowLeft: '\x1b[D',
    Home: '\x1b[H', End: '\x1b[F', Delete: '\x1b[3~', PageUp: '\x1b[5~', PageDown: '\x1b[6~',
    Insert: '\x1b[2~',
  };
  const s = special[e.key];
  if (s !== undefined) return e.altKey ? `\x1b${s}` : s;
  if (e.key.length !== 1) return undefined;
  if (e.ctrlKey) {
    const c = e.key.toLowerCase();
    if (c >= 'a' && c <= 'z') return String.fromCharCode(c.charCodeAt(0) - 96);
    const map: Record<string, string> = { '[': '\x1b', '\\': '\x1c', ']': '\x1d', '@': '\x00', ' ': '\x00', '/': '\x1f' };
    return map[c];
  }
  return e.altKey ? `\x1b${e.key}` : e.key;
}

/** Removes ANSI escape sequences (for log lines). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[?>=!]?[\d;:]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()#%]?[0-9A-Za-z=<>]/g, '');
}
