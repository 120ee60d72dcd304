import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { UserError } from '../errors.js';
import { TAR_END, tarFileHead, tarPadding } from '../util/tar.js';

/**
 * A build context as the docker CLI sends it: the folder as a tar stream,
 * without what .dockerignore excludes (the Dockerfile and .dockerignore are
 * always sent), symlinks kept as links.
 */
export interface IgnoreRule {
  negate: boolean;
  re: RegExp;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more directories; a trailing `**` anything.
        i++;
        if (glob[i + 1] === '/') { i++; re += '(?:.*/)?'; } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else { re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`; i = end; }
    } else if (c === '\\' && i + 1 < glob.length) { re += `\\${glob[++i]}`; }
    else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Parses .dockerignore text (comments, blank lines, `!` exceptions; paths relative to the context). */
export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1).trim();
    line = path.posix.normalize(line.replace(/\\/g, '/')).replace(/^\/+/, '').replace(/\/+$/, '');
    if (!line || line === '.') continue;
    rules.push({ negate, re: globToRegExp(line) });
  }
  return rules;
}

/** True when `rel` (posix, relative to the context) is excluded: the last rule matching it or a parent wins. */
export function isIgnored(rules: readonly IgnoreRule[], rel: string): boolean {
  let ignored = false;
  const parents: string[] = [];
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) parents.push(parts.slice(0, i).join('/'));
  for (const rule of rules) {
    const hit = rule.re.test(rel) || parents.some((p) => rule.re.test(p));
    if (hit) ignored = !rule.negate;
  }
  return ignored;
}

async function* walk(root: string, rel: string, rules: readonly IgnoreRule[], keep: ReadonlySet<string>, hasExceptions: boolean): AsyncGenerator<Buffer> {
  const dir = path.join(root, rel);
  const names = (await fs.readdir(dir)).sort();
  for (const name of names) {
    const r = rel ? `${rel}/${name}` : name;
    const full = path.join(root, r);
    const st = await fs.lstat(full);
    const ignored = !keep.has(r) && isIgnored(rules, r);
    const mtime = st.mtime;
    const mode = st.mode & 0o7777;
    if (st.isDirectory()) {
      // An excluded directory can still hold an exception (`!dir/keep`): look inside only then.
      if (ignored && !hasExceptions) continue;
      if (!ignored) yield tarFileHead(`${r}/`, 0, mode, mtime, '5');
      yield* walk(root, r, rules, keep, hasExceptions);
      continue;
    }
    if (ignored) continue;
    if (st.isSymbolicLink()) {
      yield tarFileHead(r, 0, mode, mtime, '2', await fs.readlink(full));
    } else if (st.isFile()) {
      yield tarFileHead(r, st.size, mode, mtime);
      const fh = await fs.open(full, 'r');
      try {
        let left = st.size;
        const buf = Buffer.alloc(256 * 1024);
        while (left > 0) {
          const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, left), null);
          if (bytesRead === 0) throw new UserError(`${full} shrank while it was being sent; try the build again.`, 'context-changed');
          yield Buffer.from(buf.subarray(0, bytesRead));
          left -= bytesRead;
        }
      } finally {
        await fh.close();
      }
      yield tarPadding(st.size);
    }
    // Sockets, FIFOs and devices are not sent (the docker CLI skips them too).
  }
}

/** Checks the folder and Dockerfile, then returns the context as a tar stream. */
export async function packBuildContext(context: string, dockerfile: string): Promise<Readable> {
  const st = await fs.stat(context).catch(() => undefined);
  if (!st?.isDirectory()) throw new UserError(`${context} is not a folder on this computer. Choose the folder that holds your Dockerfile.`, 'invalid');
  const df = path.join(context, dockerfile);
  if (!(await fs.stat(df).catch(() => undefined))?.isFile()) {
    throw new UserError(`There is no ${dockerfile} in ${context}. Add one, or name the Dockerfile to use.`, 'invalid');
  }
  const ignoreText = await fs.readFile(path.join(context, '.dockerignore'), 'utf8').catch(() => '');
  const rules = parseDockerignore(ignoreText);
  const keep = new Set([dockerfile.replace(/\\/g, '/'), '.dockerignore']);
  const hasExceptions = rules.some((r) => r.negate);
  return Readable.from((async function* () {
    yield* walk(context, '', rules, keep, hasExceptions);
    yield TAR_END;
  })(), { objectMode: false });
}
