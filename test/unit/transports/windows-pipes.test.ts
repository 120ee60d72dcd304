import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wharfPaths } from '../../../src-main/core/paths.js';
import { windowsPipeName } from '../../../src-main/core/windows-pipes.js';
import { ownerOnlyProblems, ownerOnlySddl, parseSddl, parseSecureOutput, securePipe, securePipeScript } from '../../../src-main/core/transports/pipe-security.js';

const ALICE = 'S-1-5-21-1004336348-1177238915-682003330-1001';
const BOB = 'S-1-5-21-1004336348-1177238915-682003330-1002';

test('pipe names are per user and per WHARF_HOME, not one fixed name for the machine', () => {
  const alice = wharfPaths('C:\\Users\\alice\\.wharf', 'win32');
  assert.notEqual(alice.dockerSocket, '\\\\.\\pipe\\wharf_engine', 'every user shares one engine pipe');
  assert.match(alice.dockerSocket, /^\\\\\.\\pipe\\wharf-[a-z0-9_.-]+-[0-9a-f]{12}-engine$/);
  assert.match(alice.controlSocket, /-control$/);
  const a = windowsPipeName('engine', 'C:\\Users\\alice\\.wharf', 'alice');
  const b = windowsPipeName('engine', 'C:\\Users\\bob\\.wharf', 'bob');
  assert.notEqual(a, b);
  assert.match(a, /\\wharf-alice-/);
  // Same user, another home (a test, a second profile): another pipe.
  assert.notEqual(a, windowsPipeName('engine', 'D:\\wharf-test', 'alice'));
  // Windows paths and user names are case-insensitive.
  assert.equal(a, windowsPipeName('engine', 'c:\\users\\ALICE\\.wharf', 'Alice'));
  // A user name with characters a pipe name should not carry is made safe, and stays distinct by hash.
  assert.match(windowsPipeName('engine', 'C:\\x', 'DOMAIN\\Jürgen Ö'), /^\\\\\.\\pipe\\wharf-domain_j_rgen__-[0-9a-f]{12}-engine$/);
  // POSIX keeps its sockets in the run dir.
  assert.match(wharfPaths('/home/a/.wharf', 'linux').dockerSocket, /\/run\/docker\.sock$/);
});

test('the default named-pipe descriptor is refused, with each reason', () => {
  // What CreateNamedPipe gives without a descriptor (RtlDefaultNpAcl: SYSTEM, Administrators and the
  // creator full control; Everyone and Anonymous read), as Get-Acl renders it in SDDL.
  const defaultSd = `O:${ALICE}G:${ALICE}D:(A;;FA;;;SY)(A;;FA;;;BA)(A;;FA;;;${ALICE})(A;;FR;;;WD)(A;;FR;;;AN)`;
  const problems = ownerOnlyProblems(defaultSd, ALICE);
  for (const expected of [/not protected/, /Everyone \(WD\)/, /Anonymous \(AN\)/, /Administrators \(BA\)/, /SYSTEM \(SY\)/]) {
    assert.ok(problems.some((p) => expected.test(p)), `${expected} missing from ${JSON.stringify(problems)}`);
  }
  // Another user's pipe (a squatter who created the name first).
  assert.ok(ownerOnlyProblems(`O:${BOB}D:P(A;;FA;;;${BOB})`, ALICE).some((p) => /owned by/.test(p)));
  // No DACL, a null DACL, or only a deny entry.
  assert.ok(ownerOnlyProblems(`O:${ALICE}`, ALICE).some((p) => /no access list/.test(p)));
  assert.ok(ownerOnlyProblems(`O:${ALICE}D:NO_ACCESS_CONTROL`, ALICE).some((p) => /null access list/.test(p)));
  assert.ok(ownerOnlyProblems(`O:${ALICE}D:P(D;;FA;;;WD)`, ALICE).some((p) => /yourself/.test(p)));
  // A descriptor other projects use for "owner only" that still lets SYSTEM in is not owner-only either.
  assert.ok(ownerOnlyProblems('D:P(A;;GA;;;OW)(A;;GA;;;SY)', ALICE).some((p) => /SYSTEM/.test(p)));
});

test('the descriptor Wharf sets passes, as written and as Windows reads it back', () => {
  assert.equal(ownerOnlySddl(ALICE), `O:${ALICE}D:P(A;;FA;;;${ALICE})`);
  assert.deepEqual(ownerOnlyProblems(ownerOnlySddl(ALICE), ALICE), []);
  // GetSecurityDescriptorSddlForm('Owner, Access') output has the same shape (FA = 0x1f01ff).
  assert.deepEqual(ownerOnlyProblems(`O:${ALICE}D:PAI(A;;FA;;;${ALICE})`, ALICE), []);
  assert.deepEqual(parseSddl(`O:${ALICE}G:S-1-5-21-1-513D:P(A;;0x12019f;;;${ALICE})S:(ML;;NW;;;LW)`).dacl, { flags: 'P', aces: [{ type: 'A', flags: '', rights: '0x12019f', sid: ALICE }] });
});

test('securePipe runs the PowerShell step and refuses a pipe that is not private afterwards', async () => {
  const path = '\\\\.\\pipe\\wharf-alice-0123456789ab-engine';
  const script = securePipeScript(path);
  assert.match(script, /SetAccessControl\('\\\\\.\\pipe\\wharf-alice-0123456789ab-engine', \$sec\)/);
  assert.match(script, /D:P\(A;;FA;;;\$\(\$sid\)\)/);
  assert.equal(securePipeScript("\\\\.\\pipe\\o'brien").includes("'\\\\.\\pipe\\o''brien'"), true, 'quotes in the path are escaped for PowerShell');

  const scripts: string[] = [];
  await securePipe(path, async (s) => { scripts.push(s); return { code: 0, stdout: `SID=${ALICE}\r\nSDDL=O:${ALICE}D:P(A;;FA;;;${ALICE})\r\n`, stderr: '' }; });
  assert.equal(scripts.length, 1);
  await assert.rejects(
    securePipe(path, async () => ({ code: 0, stdout: `SID=${ALICE}\nSDDL=O:${ALICE}D:(A;;FA;;;${ALICE})(A;;FR;;;WD)\n`, stderr: '' })),
    /not private.*Everyone/,
  );
  await assert.rejects(
    securePipe(path, async () => ({ code: 1, stdout: '', stderr: 'Exception calling "SetAccessControl" with "2" argument(s): "Attempted to perform an unauthorized operation."' })),
    /could not set the access list.*unauthorized/,
  );
  assert.deepEqual(parseSecureOutput('junk'), undefined);
});

test('a server whose pipe cannot be made private is closed, with the reason', async () => {
  const net = await import('node:net');
  const os = await import('node:os');
  const nodePath = await import('node:path');
  const { securePipeOrClose } = await import('../../../src-main/core/transports/pipe-security.js');
  const sock = nodePath.join(os.tmpdir(), `wharf-pipe-${process.pid}.sock`);
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(sock, r));
  await assert.rejects(
    securePipeOrClose(server, sock, async () => ({ code: 0, stdout: `SID=${ALICE}\nSDDL=O:${ALICE}D:(A;;FA;;;${ALICE})(A;;FR;;;WD)\n`, stderr: '' })),
    (err: Error & { code?: string }) => /will not serve.*Everyone/.test(err.message) && err.code === 'pipe-not-private',
  );
  assert.equal(server.listening, false, 'the server kept listening on a pipe others can open');
});
