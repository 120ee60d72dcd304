import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  comparablePath, describeSyncState, findSyncStatus, formatSeconds, formatValue, pathWithin, syncedOutsideShares, syncedShareProblem,
} from '../../../src-renderer/views/settings/format.js';

describe('synchronized folder checks', () => {
  it('wants a non-empty absolute path, with an example for the platform', () => {
    assert.match(syncedShareProblem('', [], ['/home/u'], 'linux')!, /^Enter the path of a folder inside a shared directory, like \/home\/you\/src\/app\.$/);
    assert.match(syncedShareProblem('   ', [], ['/home/u'], 'linux')!, /^Enter/);
    assert.match(syncedShareProblem('src/app', [], ['/home/u'], 'linux')!, /^Use an absolute path, like \/home\/you\/src\/app\.$/);
    assert.match(syncedShareProblem('src\\app', [], ['C:\\Users\\me'], 'win32')!, /C:\\Users\\you\\src\\app/);
    assert.match(syncedShareProblem('/c/src', [], ['C:\\Users\\me'], 'win32')!, /absolute/, 'a POSIX path is not absolute on Windows');
  });

  it('must lie inside one of the shared directories, and says which ones there are', () => {
    assert.equal(syncedShareProblem('/home/u/src/app', [], ['/home/u'], 'linux'), undefined);
    assert.equal(syncedShareProblem('/home/u', [], ['/home/u'], 'linux'), undefined, 'a shared directory itself may be synchronized');
    assert.equal(syncedShareProblem('  /home/u/app/ ', [], ['/home/u'], 'linux'), undefined, 'trimmed, trailing separator ignored');
    const outside = syncedShareProblem('/srv/app', [], ['/home/u', '/work'], 'linux')!;
    assert.match(outside, /^\/srv\/app is not inside a shared directory \(\/home\/u, \/work\)\./);
    assert.match(outside, /add a shared directory that contains it first/);
    assert.match(syncedShareProblem('/home/user2/app', [], ['/home/u'], 'linux')!, /not inside/, 'a common prefix is not containment');
    assert.match(syncedShareProblem('/home/u/../etc', [], ['/home/u'], 'linux')!, /not inside/, '.. leaves the share');
    assert.match(syncedShareProblem('/home/u/app', [], [], 'linux')!, /^Nothing is shared/);
  });

  it('compares case-insensitively on macOS and Windows only', () => {
    assert.match(syncedShareProblem('/Home/U/app', [], ['/home/u'], 'linux')!, /not inside/);
    assert.equal(syncedShareProblem('/Users/Me/app', [], ['/users/me'], 'darwin'), undefined);
    assert.equal(syncedShareProblem('c:/users/me/src/app', [], ['C:\\Users\\me'], 'win32'), undefined);
    assert.match(syncedShareProblem('C:\\Users\\ME\\app', ['c:\\users\\me\\app'], ['C:\\Users\\me'], 'win32')!, /already synchronized/);
  });

  it('refuses duplicates and nesting, in both directions, saying what to do', () => {
    const synced = ['/home/u/app'];
    assert.equal(syncedShareProblem('/home/u/app/', synced, ['/home/u'], 'linux'), '/home/u/app is already synchronized.');
    assert.equal(
      syncedShareProblem('/home/u/app/node_modules', synced, ['/home/u'], 'linux'),
      '/home/u/app/node_modules is inside /home/u/app, which is already synchronized (everything under it is synced too).',
    );
    const outer = syncedShareProblem('/home/u', synced, ['/home/u'], 'linux')!;
    assert.match(outer, /^\/home\/u\/app is already synchronized and is inside \/home\/u; synchronized folders may not nest\./);
    assert.match(outer, /stop syncing \/home\/u\/app first/);
    assert.equal(syncedShareProblem('/home/u/app2', synced, ['/home/u'], 'linux'), undefined, 'a common prefix is not nesting');
  });

  it('finds synchronized folders left outside every shared directory', () => {
    assert.deepEqual(syncedOutsideShares(['/home/u/a', '/work/b'], ['/home/u'], 'linux'), ['/work/b']);
    assert.deepEqual(syncedOutsideShares(['/home/u/a'], [], 'linux'), ['/home/u/a']);
    assert.deepEqual(syncedOutsideShares([], [], 'linux'), []);
  });

  it('normalizes paths the way the core compares them', () => {
    assert.equal(comparablePath('/a//b/./c/', 'linux'), '/a/b/c');
    assert.equal(comparablePath('/', 'linux'), '/');
    assert.equal(comparablePath('C:/Users/Me/', 'win32'), 'c:\\users\\me');
    assert.equal(comparablePath('C:\\', 'win32'), 'c:\\');
    assert.ok(pathWithin('/a/b', '/', 'linux'));
    assert.ok(pathWithin('C:\\src\\app', 'C:\\', 'win32'));
    assert.ok(!pathWithin('/ab', '/a', 'linux'));
  });
});

describe('synchronized folder state', () => {
  it('matches the engine\'s entry by path', () => {
    const list = [{ path: '/home/u/app', state: 'ready' as const, files: 3 }];
    assert.equal(findSyncStatus('/home/u/app/', list, 'linux'), list[0]);
    assert.equal(findSyncStatus('/home/u/other', list, 'linux'), undefined);
    assert.equal(findSyncStatus('/home/u/app', undefined, 'linux'), undefined);
    assert.equal(findSyncStatus('C:\\SRC', [{ path: 'c:\\src', state: 'waiting' }], 'win32')?.state, 'waiting');
  });

  it('says what each state means', () => {
    assert.deepEqual(describeSyncState({ path: '/a', state: 'ready', files: 5008, seconds: 60.5 }), { tone: 'ok', text: 'Ready — 5,008 files, first sync 60.5 s' });
    assert.deepEqual(describeSyncState({ path: '/a', state: 'ready', files: 1 }), { tone: 'ok', text: 'Ready — 1 file' });
    assert.deepEqual(describeSyncState({ path: '/a', state: 'ready' }), { tone: 'ok', text: 'Ready' });
    const copying = describeSyncState({ path: '/a', state: 'copying' });
    assert.equal(copying.tone, 'busy');
    assert.equal(copying.text, 'Copying into the VM…');
    assert.match(copying.note!, /wait until the first copy is done/);
    assert.deepEqual(describeSyncState({ path: '/a', state: 'waiting' }), { tone: 'waiting', text: 'Waiting for the VM' });
    assert.deepEqual(describeSyncState({ path: '/a', state: 'error', reason: 'unison exited 3: permission denied' }), { tone: 'error', text: 'Sync failed: unison exited 3: permission denied' });
    assert.equal(describeSyncState({ path: '/a', state: 'error' }).text, 'Sync failed: unison stopped');
  });

  it('a ready copy whose last sync failed says so', () => {
    const v = describeSyncState({ path: '/a', state: 'ready', files: 10, seconds: 2, reason: 'the last sync failed and waits for the next change: disk full' });
    assert.equal(v.text, 'Ready — 10 files, first sync 2 s');
    assert.equal(v.note, 'The last sync failed and waits for the next change: disk full');
  });

  it('a folder the VM does not sync yet applies after a restart (or when the VM starts)', () => {
    assert.deepEqual(describeSyncState(undefined, true), { tone: 'pending', text: 'Applies after restart' });
    assert.deepEqual(describeSyncState(undefined, false), { tone: 'pending', text: 'Applies when the VM starts' });
  });

  it('formats durations and the confirmation value', () => {
    assert.equal(formatSeconds(0.84), '0.8 s');
    assert.equal(formatSeconds(60.5), '60.5 s');
    assert.equal(formatSeconds(3), '3 s');
    assert.equal(formatSeconds(252), '4 min 12 s');
    assert.equal(formatSeconds(240), '4 min');
    assert.equal(formatValue('syncedShares', ['/a']), '1 folder');
    assert.equal(formatValue('syncedShares', []), '0 folders');
  });
});
