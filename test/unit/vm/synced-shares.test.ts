import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guestSyncs, SyncTracker, GUEST_SYNC_ROOT } from '../../../src-main/core/vm/synced-shares.js';
import { parseConsoleLine } from '../../../src-main/core/vm/milestones.js';
import { BindPathError, rewriteCreateBody } from '../../../src-main/core/proxy/bind-paths.js';
import { windowsToWsl } from '../../../src-main/core/vm/wsl/windows-paths.js';

const ready = (t: SyncTracker, id: string) => t.onSignal(parseConsoleLine(`WHARF-SYNC ${id} ready 1.5 12`));

test('the guest\'s WHARF-SYNC lines parse into states', () => {
  assert.deepEqual(parseConsoleLine('WHARF-SYNC sync0 copying'), { kind: 'sync', id: 'sync0', state: 'copying' });
  assert.deepEqual(parseConsoleLine('WHARF-SYNC sync3 ready 60.5 5008'), { kind: 'sync', id: 'sync3', state: 'ready', seconds: 60.5, files: 5008 });
  assert.deepEqual(parseConsoleLine('WHARF-SYNC sync1 error Fatal error: Skipping some paths'), { kind: 'sync', id: 'sync1', state: 'error', reason: 'Fatal error: Skipping some paths' });
  assert.equal(parseConsoleLine('WHARF-SYNC other ready 1 2'), undefined);
});

test('sync ids follow the settings order; a Windows path is mapped to what the guest sees', () => {
  const map = (p: string) => (p.startsWith('/') ? { ok: true as const, path: p } : windowsToWsl(p, new Set(['c'])));
  assert.deepEqual(guestSyncs(['/home/u/app', 'C:\\src\\web'], map), [
    { id: 'sync0', hostPath: '/home/u/app', guestPath: '/home/u/app' },
    { id: 'sync1', hostPath: 'C:\\src\\web', guestPath: '/mnt/c/src/web' },
  ]);
  assert.throws(() => guestSyncs(['Q:\\x'], map), /drive Q: is not mounted/);
});

test('bind mounts at or under a ready synced folder go to its copy; others are untouched', () => {
  const t = new SyncTracker();
  t.reset(guestSyncs(['/home/u/app', '/home/u/web']));
  ready(t, 'sync0');
  ready(t, 'sync1');
  const body = {
    HostConfig: {
      Binds: ['/home/u/app:/w', '/home/u/web/src/:/s:ro', '/home/u//app/lib:/l', '/home/u/application:/x', 'named:/v', '/etc/hosts:/h'],
      Mounts: [{ Type: 'bind', Source: '/home/u/app/pkg' }, { Type: 'volume', Source: '/home/u/app' }],
    },
  };
  assert.equal(rewriteCreateBody(body, t.mapper()!), true);
  assert.deepEqual(body.HostConfig.Binds, [
    `${GUEST_SYNC_ROOT}/sync0:/w`, `${GUEST_SYNC_ROOT}/sync1/src:/s:ro`, `${GUEST_SYNC_ROOT}/sync0/lib:/l`,
    '/home/u/application:/x', 'named:/v', '/etc/hosts:/h',
  ]);
  assert.deepEqual(body.HostConfig.Mounts, [{ Type: 'bind', Source: `${GUEST_SYNC_ROOT}/sync0/pkg` }, { Type: 'volume', Source: '/home/u/app' }]);
});

test('a bind mount of a folder still copying, or whose sync failed, is refused with what to do', () => {
  const t = new SyncTracker();
  t.reset(guestSyncs(['/home/u/app']));
  const body = () => ({ HostConfig: { Binds: ['/home/u/app:/w'] } });
  assert.throws(() => rewriteCreateBody(body(), t.mapper()!), (e: Error) => e instanceof BindPathError && /still being made in the VM \(waiting\).*wharf status/.test(e.message));
  t.onSignal(parseConsoleLine('WHARF-SYNC sync0 copying'));
  assert.throws(() => rewriteCreateBody(body(), t.mapper()!), /still being made in the VM \(copying\)/);
  t.onSignal(parseConsoleLine('WHARF-SYNC sync0 error disk full'));
  assert.throws(() => rewriteCreateBody(body(), t.mapper()!), /failed \(disk full\).*remove it from syncedShares/);
  assert.deepEqual(t.list(), [{ path: '/home/u/app', state: 'error', files: undefined, seconds: undefined, reason: 'disk full' }]);
});

test('a reattached VM starts from ready; no synced folders means the backend\'s own mapper (or none)', () => {
  const t = new SyncTracker();
  assert.equal(t.mapper(), undefined);
  const inner = (p: string) => ({ ok: true as const, path: `/inner${p}` });
  assert.equal(t.mapper(inner), inner);
  t.reset(guestSyncs(['/a']), 'ready');
  const body = { HostConfig: { Binds: ['/a/x:/x', 'C:\\y:/y'] } };
  rewriteCreateBody(body, t.mapper(inner)!);
  assert.deepEqual(body.HostConfig.Binds, [`${GUEST_SYNC_ROOT}/sync0/x:/x`, '/innerC:\\y:/y']);
});

test('a later run that failed keeps the copy usable and says why', () => {
  const t = new SyncTracker();
  t.reset(guestSyncs(['/a']));
  ready(t, 'sync0');
  assert.deepEqual(parseConsoleLine('WHARF-SYNC sync0 lagging Aborting...'), { kind: 'sync', id: 'sync0', state: 'lagging', reason: 'Aborting...' });
  t.onSignal(parseConsoleLine('WHARF-SYNC sync0 lagging Aborting...'));
  const [s] = t.list();
  assert.equal(s!.state, 'ready');
  assert.equal(s!.files, 12);
  assert.match(s!.reason!, /last sync failed.*Aborting/);
  const body = { HostConfig: { Binds: ['/a:/w'] } };
  rewriteCreateBody(body, t.mapper()!);
  assert.deepEqual(body.HostConfig.Binds, [`${GUEST_SYNC_ROOT}/sync0:/w`]);
});
