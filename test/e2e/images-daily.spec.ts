import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ImagesPage } from './pages/images-page.js';
import { dockerConfigDir, screenshot } from './support/daily.js';
import { docker, readState, uniqueName } from './support/env.js';
import { freePort, startRegistry } from './support/registry.js';

test.describe.configure({ mode: 'serial' });

/** The images table row of `repo:tag`. */
function rowOf(images: ImagesPage, ref: string) {
  const i = ref.lastIndexOf(':');
  return images.row(ref.slice(0, i), ref.slice(i + 1));
}

test.describe('Registry sign-in, tag, push and pull back', () => {
  let registry: ChildProcess | undefined;
  let port = 0;
  const user = 'wharf-e2e';
  const password = `pw-${Date.now().toString(36)}`;
  const repo = uniqueName('e2e/pushed');

  test.beforeAll(async () => {
    let htpasswd: string;
    try {
      htpasswd = execFileSync('htpasswd', ['-Bbn', user, password], { encoding: 'utf8' });
    } catch {
      test.skip(true, 'the push test needs htpasswd for its basic-auth registry: apt-get install apache2-utils');
      return;
    }
    const dir = path.join(readState().workDir, 'auth-registry');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'htpasswd'), htpasswd);
    port = await freePort();
    registry = await startRegistry(dir, port, { htpasswd: path.join(dir, 'htpasswd') });
  });
  test.afterAll(() => { registry?.kill('SIGTERM'); });

  test('sign in through the UI (credentials land in the docker CLI config), push with per-layer progress, pull back', async ({ page }) => {
    const server = `10.0.2.2:${port}`;
    const target = `${server}/${repo}:1`;
    const images = new ImagesPage(page);
    await images.open();

    // A wrong password is refused with the registry's answer, and nothing is stored.
    await page.getByRole('button', { name: 'Sign in…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign in to a registry' });
    await dialog.getByRole('textbox', { name: 'Registry' }).fill(server);
    await dialog.getByRole('textbox', { name: 'User name' }).fill(user);
    await dialog.getByLabel('Password').fill('wrong');
    await screenshot(page, 'daily-signin-dialog');
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await expect(images.shell.errorToasts).toContainText(/refused the user name or password/, { timeout: 60_000 });
    const configFile = path.join(dockerConfigDir(), 'config.json');
    const stored = () => (fs.existsSync(configFile) ? JSON.parse(fs.readFileSync(configFile, 'utf8')) as { auths?: Record<string, { auth?: string }> } : {});
    expect(stored().auths?.[server]).toBeUndefined();

    await dialog.getByLabel('Password').fill(password);
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await expect(dialog).toBeHidden({ timeout: 60_000 });
    await expect(page.getByRole('group', { name: 'Signed-in registries' })).toContainText(`${user}@${server}`);
    expect(Buffer.from(stored().auths![server]!.auth!, 'base64').toString()).toBe(`${user}:${password}`);
    expect(fs.statSync(configFile).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(readState().home, 'settings.json'), 'utf8')).not.toContain(password);

    // Tag in the UI, push in the UI.
    const { localImage } = readState();
    await rowOf(images, localImage).getByRole('button', { name: `Tag ${localImage}` }).click();
    const tagDialog = page.getByRole('dialog', { name: `Tag ${localImage}` });
    await tagDialog.getByRole('textbox', { name: 'New image name' }).fill(target);
    await screenshot(page, 'daily-tag-dialog');
    await tagDialog.getByRole('button', { name: 'Tag' }).click();
    await expect(rowOf(images, target)).toBeVisible({ timeout: 30_000 });
    await rowOf(images, target).getByRole('button', { name: `Push ${target}` }).click();
    const card = page.getByRole('article', { name: `Push ${target}` });
    await expect(card.getByRole('progressbar', { name: /^Layer / }).first()).toBeVisible({ timeout: 60_000 });
    await expect(card.getByRole('status')).toContainText('Done', { timeout: 180_000 });
    await expect(card).toContainText(/Pushed|Layer already exists/);
    await screenshot(page, 'daily-images-push');
    const auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    const tags = await fetch(`http://127.0.0.1:${port}/v2/${repo}/tags/list`, { headers: { Authorization: auth } }).then((r) => r.json()) as { tags?: string[] };
    expect(tags.tags).toEqual(['1']);

    // Pull it back through the UI: the stored credentials are used.
    await docker(['rmi', target]);
    await expect(rowOf(images, target)).toHaveCount(0, { timeout: 30_000 });
    await images.pull(target);
    await expect(images.pullCard(target).getByRole('status')).toHaveText('Pulled', { timeout: 180_000 });
    await expect(rowOf(images, target)).toBeVisible({ timeout: 30_000 });
    // The unchanged docker CLI sees the same sign-in.
    await docker(['rmi', target]);
    execFileSync('docker', ['pull', target], { env: { ...process.env, DOCKER_HOST: readState().dockerHost, DOCKER_CONTEXT: '', DOCKER_CONFIG: dockerConfigDir() }, timeout: 180_000 });

    // Sign out removes it again.
    await page.getByRole('button', { name: `Sign out of ${server}` }).click();
    await expect(page.getByRole('group', { name: 'Signed-in registries' })).toHaveCount(0, { timeout: 30_000 });
    expect(stored().auths?.[server]).toBeUndefined();
  });
});

test.describe('Build and history', () => {
  const tag = `${uniqueName('e2e/built')}:1`;
  test.afterAll(async () => { await docker(['rmi', '-f', tag]).catch(() => undefined); });

  test('build a folder with BuildKit progress, then read its history', async ({ page }) => {
    const { localImage, workDir } = readState();
    const ctx = path.join(workDir, 'build-ctx');
    fs.mkdirSync(ctx, { recursive: true });
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${localImage}\nRUN echo built-by-buildkit > /built.txt && echo step-output\nCOPY . /ctx/\n`);
    fs.writeFileSync(path.join(ctx, 'hello.txt'), 'hello build\n');
    fs.writeFileSync(path.join(ctx, 'secret.env'), 'TOKEN=1\n');
    fs.writeFileSync(path.join(ctx, '.dockerignore'), '*.env\n');
    const images = new ImagesPage(page);
    await images.open();
    await page.getByRole('button', { name: 'Build…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Build an image' });
    await dialog.getByRole('textbox', { name: 'Build folder' }).fill(ctx);
    await dialog.getByRole('textbox', { name: 'Image tag' }).fill(tag);
    await dialog.getByRole('checkbox', { name: /build cache/ }).check();
    await screenshot(page, 'daily-build-dialog');
    await dialog.getByRole('button', { name: 'Build' }).click();
    const card = page.getByRole('article', { name: `Build ${tag}` });
    await expect(card.getByRole('progressbar').first()).toBeVisible();
    await expect(card.getByRole('status')).toContainText('Done', { timeout: 300_000 });
    await expect(card.getByRole('list', { name: 'Build steps' })).toContainText('RUN echo built-by-buildkit');
    await expect(card.getByLabel('Build output')).toContainText('step-output');
    await screenshot(page, 'daily-images-build');
    expect(await docker(['run', '--rm', tag, 'cat', '/built.txt', '/ctx/hello.txt'])).toBe('built-by-buildkit\nhello build');
    expect(await docker(['run', '--rm', tag, 'ls', '/ctx'])).not.toContain('secret.env');

    await rowOf(images, tag).getByRole('link', { name: `History of ${tag}` }).click();
    const history = page.getByRole('table', { name: 'Image history' });
    await expect(history).toContainText('echo built-by-buildkit', { timeout: 30_000 });
    await expect(history).toContainText('COPY . /ctx/');
    await expect(page.getByRole('list', { name: 'Layers' }).getByRole('listitem')).toHaveCount(3);
    await screenshot(page, 'daily-image-history');

    // A folder without a Dockerfile gets a clear refusal.
    await page.goto('/#/images');
    await page.getByRole('button', { name: 'Build…' }).click();
    await dialog.getByRole('textbox', { name: 'Build folder' }).fill(workDir);
    await dialog.getByRole('button', { name: 'Build' }).click();
    await expect(page.getByRole('article', { name: `Build ${workDir}` }).getByRole('status')).toContainText(/There is no Dockerfile/);
  });
});
