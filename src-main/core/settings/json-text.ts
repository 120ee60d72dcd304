/**
 * A strict JSON reader that says *where* a mistake is. JSON.parse's messages
 * differ between Node versions and give only an offset (sometimes not even
 * that); people editing daemon.json in a text box need "line 3, column 14".
 * It also reports duplicate keys, which JSON.parse silently resolves (last
 * wins) and which are almost always a paste mistake.
 */

export interface JsonTextError {
  message: string;
  line: number;
  column: number;
}

export type JsonTextResult =
  | { ok: true; value: unknown; duplicates: Array<{ key: string; line: number; column: number }> }
  | { ok: false; error: JsonTextError };

class Fail extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function parseJsonText(text: string): JsonTextResult {
  let pos = 0;
  const duplicates: Array<{ key: string; offset: number }> = [];

  const describe = (at: number): string => (at >= text.length ? 'the end of the text' : `'${text[at]}'`);
  const ws = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos]!)) pos++;
  };
  const expect = (ch: string, what: string) => {
    ws();
    if (text[pos] !== ch) throw new Fail(`expected ${what} but found ${describe(pos)}`, pos);
    pos++;
  };

  const parseString = (): string => {
    const start = pos;
    pos++; // opening quote
    let out = '';
    while (true) {
      if (pos >= text.length) throw new Fail('unterminated string (missing closing ")', start);
      const ch = text[pos]!;
      if (ch === '"') {
        pos++;
        return out;
      }
      if (ch === '\n' || ch < ' ') throw new Fail('strings cannot contain line breaks or control characters; use \\n', pos);
      if (ch === '\\') {
        const esc = text[pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (esc !== undefined && esc in simple) {
          out += simple[esc];
          pos += 2;
        } else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
          out += String.fromCharCode(Number.parseInt(text.slice(pos + 2, pos + 6), 16));
          pos += 6;
        } else {
          throw new Fail('invalid escape in string', pos);
        }
        continue;
      }
      out += ch;
      pos++;
    }
  };

  const parseNumber = (): number => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos));
    if (!m) throw new Fail(`unexpected ${describe(pos)}`, pos);
    pos += m[0].length;
    return Number(m[0]);
  };

  const parseValue = (): unknown => {
    ws();
    const ch = text[pos];
    if (ch === '{') return parseObject();
    if (ch === '[') return parseArray();
    if (ch === '"') return parseString();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return parseNumber();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    if (ch === "'") throw new Fail("JSON strings use double quotes (\"), not single quotes", pos);
    throw new Fail(`expected a value but found ${describe(pos)}`, pos);
  };

  const parseObject = (): Record<string, unknown> => {
    pos++; // {
    const out: Record<string, unknown> = {};
    ws();
    if (text[pos] === '}') {
      pos++;
      return out;
    }
    while (true) {
      ws();
      if (text[pos] !== '"') {
        const hint = text[pos] === '}' ? ' (remove the trailing comma)' : ' (keys are double-quoted)';
        throw new Fail(`expected a "key" but found ${describe(pos)}${hint}`, pos);
      }
      const keyAt = pos;
      const key = parseString();
      if (Object.hasOwn(out, key)) duplicates.push({ key, offset: keyAt });
      expect(':', "':' after the key");
      const value = parseValue();
      // defineProperty: a "__proto__" key must become data, not the prototype.
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      ws();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return out;
      }
      throw new Fail(`expected ',' or '}' but found ${describe(pos)}`, pos);
    }
  };

  const parseArray = (): unknown[] => {
    pos++; // [
    const out: unknown[] = [];
    ws();
    if (text[pos] === ']') {
      pos++;
      return out;
    }
    while (true) {
      ws();
      if (text[pos] === ']') throw new Fail('expected a value but found \']\' (remove the trailing comma)', pos);
      out.push(parseValue());
      ws();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        return out;
      }
      throw new Fail(`expected ',' or ']' but found ${describe(pos)}`, pos);
    }
  };

  try {
    ws();
    if (pos >= text.length) throw new Fail('the text is empty; write {} for no options', pos);
    const value = parseValue();
    ws();
    if (pos < text.length) throw new Fail(`unexpected ${describe(pos)} after the end of the JSON value`, pos);
    return {
      ok: true,
      value,
      duplicates: duplicates.map((d) => ({ key: d.key, ...lineColumn(text, d.offset) })),
    };
  } catch (err) {
    if (err instanceof Fail) return { ok: false, error: { message: err.message, ...lineColumn(text, err.offset) } };
    throw err;
  }
}
