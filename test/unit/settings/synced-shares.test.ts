import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import type { Settings } from '../../../src-main/core/contract/settings-schema.js';
import { settingsSchema } from '../../../src-main/core/contract/settings-schema.js';
import { validatePatch, type ValidationContext } from '../../../src-main/core/settings/validate.js';
import { formatValue, parseSetArgs } from '../../../src-main/core/settings/cli-parse.js';
import { fakeDefaults, fakeHost, tempDir } from './helpers.js';

async function setup(): Promise<{ ctx: ValidationContext; dir: string }> {
  const dir = await tempDir('wharf-synced-');
  await fs.mkdir(path.join(dir, 'code', 'app', 'lib'), { recursive: true });
  await fs.mkdir(path.join(dir, 'code', 'web'), { recursive: true });
  await fs.mkdir(path.join(dir, 'other'));
  await fs.writeFile(path.join(dir, 'code', 'notes.txt'), 'hi');
  const current: Settings = fakeDefaults({}, [path.join(dir, 'code')]);
  return { ctx: { host: fakeHost(), current, existingDiskGiB: 64 }, dir };
}

async function reasons(patch: unknown, ctx: ValidationContext): Promise<string[]> {
  const r = await validatePatch(patch, ctx);
  assert.equal(r.ok, false, `expected ${JSON.stringify(patch)} to be refused`);
  return r.ok ? [] : r.refused.map((x) => x.reason);
}

test('a synced folder inside a shared folder is accepted and normalized', async () => {
  const { ctx, dir } = await setup();
  const r = await validatePatch({ syncedShares: [`${path.join(dir, 'code', 'app')}/`] }, ctx);
  assert.equal(r.ok, true);
  if (r.ok) assert.deepEqual(r.next.syncedShares, [path.join(dir, 'code', 'app')]);
});

test('each bad synced folder gets a message that says what to do', async () => {
  const { ctx, dir } = await setup();
  const code = path.join(dir, 'code');
  assert.match((await reasons({ syncedShares: [path.join(dir, 'other')] }, ctx))[0]!, /is not inside a shared folder .*add a folder that contains it to fileShares first/);
  assert.match((await reasons({ syncedShares: ['code/app'] }, ctx))[0]!, /not an absolute path/);
  assert.match((await reasons({ syncedShares: [path.join(code, 'gone')] }, ctx))[0]!, /does not exist; create the folder first/);
  assert.match((await reasons({ syncedShares: [path.join(code, 'notes.txt')] }, ctx))[0]!, /is a file, not a folder/);
  assert.match((await reasons({ syncedShares: [path.join(code, 'app'), path.join(code, 'app')] }, ctx))[0]!, /listed twice/);
  assert.match((await reasons({ syncedShares: [path.join(code, 'app'), path.join(code, 'app', 'lib')] }, ctx))[0]!, /nest; keep only the outer one/);
  assert.match((await reasons({ syncedShares: [`${code}/a\nb`] }, ctx))[0]!, /control character/);
  assert.match((await reasons({ syncedShares: ['', path.join(code, 'app')] }, ctx))[0]!, /an entry is empty/);
  assert.match((await reasons({ syncedShares: 'x' }, ctx))[0]!, /must be a list of folder paths/);
});

test('removing the shared folder a synced folder needs is refused in the same patch', async () => {
  const { ctx, dir } = await setup();
  const ok = await validatePatch({ syncedShares: [path.join(dir, 'code', 'app')] }, ctx);
  assert.ok(ok.ok);
  const next = { ...ctx, current: ok.ok ? ok.next : ctx.current };
  assert.match((await reasons({ fileShares: [path.join(dir, 'other')], syncedShares: next.current.syncedShares }, next))[0]!, /is not inside a shared folder/);
  // Shares changed alone are checked against the saved synced folders too.
  assert.match((await reasons({ fileShares: [path.join(dir, 'other')] }, next))[0]!, /synchronized folder .* would no longer be inside a shared folder; stop syncing it first/);
  // Removing both together is fine.
  assert.ok((await validatePatch({ fileShares: [path.join(dir, 'other')], syncedShares: [] }, next)).ok);
});

test('older settings files lack syncedShares and read as none; `wharf set` takes a comma list', () => {
  const { syncedShares: _omit, ...old } = fakeDefaults({}, ['/home/u']);
  assert.deepEqual(settingsSchema.parse(old).syncedShares, []);
  const patch = parseSetArgs(['syncedShares=/home/u/a,/home/u/b']);
  assert.deepEqual(patch.syncedShares, ['/home/u/a', '/home/u/b']);
  assert.deepEqual(parseSetArgs(['syncedShares=']).syncedShares, []);
  assert.equal(formatValue('syncedShares', { ...fakeDefaults({}, ['/home/u']), syncedShares: ['/home/u/a', '/home/u/b'] }), '/home/u/a,/home/u/b');
});
