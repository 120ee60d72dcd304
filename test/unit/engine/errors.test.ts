import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../../src-main/core/errors.js';
import { ENGINE_DOWN_MESSAGE, ENGINE_TLS_MESSAGE, engineMessage, isNotModified, toUserError } from '../../../src-main/core/engine/errors.js';

/** The shape dockerode rejects with (docker-modem buildPayload). */
function dockerErr(statusCode: number, message: string): Error {
  const e = new Error(`(HTTP code ${statusCode}) unexpected - ${message} `) as Error & { statusCode: number; json: unknown };
  e.statusCode = statusCode;
  e.json = { message };
  return e;
}
const names = { containerName: (id: string) => (id.startsWith('1523666df106') ? 'web' : undefined) };

test('404s name the thing the user asked for', () => {
  const e = toUserError(dockerErr(404, 'No such container: nope'), { kind: 'container', ref: 'nope' });
  assert.ok(e instanceof UserError);
  assert.equal(e.message, "Container 'nope' not found.");
  assert.equal((e as UserError).code, 'not-found');
  assert.equal(toUserError(dockerErr(404, 'No such image: x:1'), { kind: 'image', ref: 'x:1' }).message, "Image 'x:1' not found.");
  assert.equal(toUserError(dockerErr(404, 'get v: no such volume'), { kind: 'volume', ref: 'v' }).message, "Volume 'v' not found.");
});

test('creating from a missing image says to pull it', () => {
  const e = toUserError(dockerErr(404, 'No such image: nosuch:1'), { kind: 'container', ref: 'web' });
  assert.equal(e.message, "Image 'nosuch:1' is not available locally; pull it first.");
});

test('image in use names the container (engine 26 wording)', () => {
  const msg = 'conflict: unable to remove repository reference "busybox" (must force) - container 1523666df106 is using its referenced image cf7d4739407b';
  assert.equal(
    toUserError(dockerErr(409, msg), { kind: 'image', ref: 'busybox' }, names).message,
    'Image busybox is used by container web; stop and remove it first or use force.',
  );
  const running = 'conflict: unable to delete cf7d4739407b (cannot be forced) - image is being used by running container 99aa11bb22cc';
  assert.equal(
    toUserError(dockerErr(409, running), { kind: 'image', ref: 'cf7d4739407b' }, names).message,
    'Image cf7d4739407b is used by running container 99aa11bb22cc; stop and remove it first.',
  );
});

test('container state conflicts, including the 500 that unpause returns', () => {
  const c = { kind: 'container', ref: 'web' } as const;
  assert.equal(toUserError(dockerErr(409, 'cannot remove container "/web": container is running: stop the container before removing or force remove'), c).message,
    "Container 'web' is running; stop it first or use force.");
  assert.equal(toUserError(dockerErr(409, 'Container 73c4 is already paused'), c).message, "Container 'web' is already paused.");
  assert.equal(toUserError(dockerErr(500, 'Container 73c4 is not paused'), c).message, "Container 'web' is not paused.");
  assert.equal(toUserError(dockerErr(409, 'Container 270a is not running'), c).message, "Container 'web' is not running; start it first.");
  assert.equal(toUserError(dockerErr(409, 'Conflict. The container name "/web" is already in use by container "73c4abda". You have to remove (or rename) that container to be able to reuse that name.'), c).message,
    "The name 'web' is already used by another container; remove that container or choose another name.");
});

test('volume in use lists the containers by name', () => {
  const e = toUserError(dockerErr(409, 'remove data1: volume is in use - [1523666df1063e1ac5]'), { kind: 'volume', ref: 'data1' }, names);
  assert.equal(e.message, "Volume 'data1' is in use by web; remove that container first.");
});

test('port already allocated', () => {
  const e = toUserError(dockerErr(500, 'driver failed programming external connectivity on endpoint web (x): Bind for 0.0.0.0:8080 failed: port is already allocated'));
  assert.equal(e.message, 'Port 0.0.0.0:8080 is already in use on the host; choose another host port or stop what uses it.');
});

test('connection failures mean the engine is down; other errors pass through', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED /x.sock'), { code: 'ECONNREFUSED' });
  const e = toUserError(refused);
  assert.ok(e instanceof UserError);
  assert.equal(e.message, ENGINE_DOWN_MESSAGE);
  const bug = new TypeError('x is undefined');
  assert.equal(toUserError(bug), bug);
  const ue = new UserError('mine');
  assert.equal(toUserError(ue), ue);
});

test('helpers: 304 and message extraction', () => {
  assert.equal(isNotModified(dockerErr(304, '')), true);
  assert.equal(engineMessage(new Error('(HTTP code 500) server error - boom ')), 'boom');
  assert.equal(toUserError(dockerErr(500, 'boom')).message, 'Docker engine error: boom');
});

test('proxy gateway errors (VM down or booting) read as engine down', () => {
  for (const code of [502, 503, 504]) assert.equal(toUserError(dockerErr(code, 'bad gateway')).message, ENGINE_DOWN_MESSAGE);
});

test('a refused client certificate reads as a TLS problem, not a generic error', () => {
  const e = Object.assign(new Error('80AC6876697F0000:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate'), { code: 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE' });
  const u = toUserError(e);
  assert.equal(u.message, ENGINE_TLS_MESSAGE);
  assert.equal((u as UserError).code, 'engine-tls');
  assert.equal(toUserError(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })).message, ENGINE_TLS_MESSAGE);
});
