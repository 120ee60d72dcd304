import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { FileBrowserPage } from './pages/files-page.js';
import { screenshot } from './support/daily.js';
import { docker, readState, removeContainers, uniqueName } from './support/env.js';

test.describe.configure({ mode: 'serial' });

test.describe('Container files', () => {
  const name = uniqueName('e2e-files');
  test.afterAll(async () => { await removeContainers(name); });

  test('upload a file into a container (read back with docker exec) and download one', async ({ page }) => {
    const id = await docker(['run', '-d', '--name', name, readState().localImage, 'sleep', '3600']);
    await page.goto(`/#/containers/${id}/files`);
    const files = new FileBrowserPage(page);
    await expect(files.table('/')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('button', { name: 'Open folder etc', exact: true })).toBeVisible();
    await files.openFolder('tmp', '/tmp');
    // Binary content with every byte value, bigger than one upload piece.
    const body = Buffer.concat([crypto.randomBytes(700 * 1024), Buffer.from([...Array(256).keys()])]);
    await files.upload('/tmp', { name: 'uploaded.bin', mimeType: 'application/octet-stream', buffer: body });
    await expect(page.getByRole('button', { name: 'Download uploaded.bin', exact: true })).toBeVisible();
    const sum = await docker(['exec', name, 'md5sum', '/tmp/uploaded.bin']);
    expect(sum.split(/\s+/)[0]).toBe(crypto.createHash('md5').update(body).digest('hex'));
    expect(await docker(['exec', name, 'stat', '-c', '%s', '/tmp/uploaded.bin'])).toBe(String(body.length));

    const back = await files.download('uploaded.bin');
    expect(back.equals(body)).toBe(true);
    await page.getByRole('button', { name: 'Go to the root folder' }).click();
    await files.openFolder('etc', '/etc');
    const passwd = await files.download('passwd');
    expect(passwd.toString()).toBe(`${await docker(['exec', name, 'cat', '/etc/passwd'])}\n`);
    await screenshot(page, 'daily-container-files');
  });
});

test.describe('Volume files, export and import', () => {
  const vol = uniqueName('e2e-volx');
  const copy = uniqueName('e2e-voly');
  test.afterAll(async () => {
    await docker(['volume', 'rm', '-f', vol, copy]).catch(() => undefined);
  });

  /**
   * Every path with type, size, mode, owner, mtime and checksum: what "byte-identical" compares.
   * The volume's root directory is compared without its mtime: unpacking into it is what changes that.
   */
  const manifest = (v: string) => docker(['run', '--rm', '-v', `${v}:/v`, readState().localImage, 'sh', '-c',
    'cd /v && stat -c "%n %F %a %u:%g" . && find . -mindepth 1 | sort | while read f; do if [ -f "$f" ] && [ ! -L "$f" ]; then s=$(md5sum "$f" | cut -d" " -f1); else s=-; fi; echo "$(stat -c "%n %F %s %a %u:%g %Y" "$f") $s"; done']);

  test('browse a volume, download a file, export as tar and import it byte-identical', async ({ page }) => {
    const { localImage, workDir } = readState();
    await docker(['volume', 'create', vol]);
    await docker(['run', '--rm', '-v', `${vol}:/v`, localImage, 'sh', '-c', [
      'mkdir -p /v/conf/nested /v/empty', 'echo "hello volume" > /v/hello.txt', 'head -c 300000 /dev/urandom > /v/conf/nested/random.bin',
      'chmod 600 /v/hello.txt', 'chown 1234:5678 /v/conf/nested/random.bin', 'ln -s hello.txt /v/link', 'touch -d "2021-02-03 04:05:06" /v/conf',
    ].join(' && ')]);
    await page.goto(`/#/volumes/${vol}`);
    const files = new FileBrowserPage(page);
    await expect(files.table('/')).toBeVisible({ timeout: 60_000 });
    await expect(files.table('/')).toContainText('hello.txt');
    await expect(files.table('/')).toContainText('→ hello.txt');
    expect((await files.download('hello.txt')).toString()).toBe('hello volume\n');
    await files.openFolder('conf', '/conf');
    await files.openFolder('nested', '/conf/nested');
    await expect(files.table('/conf/nested')).toContainText('random.bin');

    const tarA = path.join(workDir, `${vol}.tar`);
    await page.getByRole('textbox', { name: 'Export to file' }).fill(tarA);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const card = page.getByRole('article', { name: `Export ${vol}` });
    await expect(card.getByRole('progressbar').first()).toBeVisible();
    await expect(card.getByRole('status')).toContainText('Done', { timeout: 120_000 });
    expect(fs.statSync(tarA).mode & 0o777).toBe(0o600);
    await screenshot(page, 'daily-volume-detail');

    // Into a second, empty volume.
    await docker(['volume', 'create', copy]);
    await page.goto(`/#/volumes/${copy}`);
    await expect(page.getByText('Empty folder')).toBeVisible({ timeout: 60_000 });
    await page.getByRole('textbox', { name: 'Import from file' }).fill(tarA);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByRole('article', { name: `Import into ${copy}` }).getByRole('status')).toContainText('Done', { timeout: 120_000 });
    await expect(files.table('/')).toContainText('hello.txt', { timeout: 30_000 });
    expect(await manifest(copy)).toBe(await manifest(vol));

    // And the copy exports to the very same bytes.
    const tarB = path.join(workDir, `${copy}.tar`);
    await page.getByRole('textbox', { name: 'Export to file' }).fill(tarB);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(page.getByRole('article', { name: `Export ${copy}` }).getByRole('status')).toContainText('Done', { timeout: 120_000 });
    // The first header is the volume root ("./"), whose mtime the import changes; every byte after it is equal.
    const [a, b] = [fs.readFileSync(tarA), fs.readFileSync(tarB)];
    expect(a.toString('utf8', 0, 2)).toBe('./');
    expect(b.toString('utf8', 0, 2)).toBe('./');
    expect(b.length).toBe(a.length);
    expect(crypto.createHash('sha256').update(b.subarray(512)).digest('hex')).toBe(crypto.createHash('sha256').update(a.subarray(512)).digest('hex'));

    // Refusals say what to do, and leave nothing behind.
    await page.getByRole('textbox', { name: 'Export to file' }).fill(tarB);
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await expect(page.getByRole('article', { name: `Export ${copy}` }).first().getByRole('status')).toContainText(/already exists/);
    await page.getByRole('textbox', { name: 'Import from file' }).fill(path.join(workDir, 'e2e-state-not-a-tar.txt'));
    fs.writeFileSync(path.join(workDir, 'e2e-state-not-a-tar.txt'), 'nope');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByRole('article', { name: `Import into ${copy}` }).first().getByRole('status')).toContainText(/not a tar archive/);
    expect((await docker(['ps', '-a', '--format', '{{.Names}}'])).split('\n').filter((n) => n.startsWith('wharf-volume-helper'))).toEqual([]);
  });
});
