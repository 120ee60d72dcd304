import { expect, type Download, type Locator, type Page } from '@playwright/test';

/** The file browser of a container's Files tab or a volume's page. */
export class FileBrowserPage {
  constructor(readonly page: Page) {}

  table(dir: string): Locator {
    return this.page.getByRole('table', { name: `Files in ${dir}` });
  }

  async openFolder(name: string, into: string): Promise<void> {
    await this.page.getByRole('button', { name: `Open folder ${name}`, exact: true }).click();
    await expect(this.table(into).or(this.page.getByText('Empty folder'))).toBeVisible();
  }

  async upload(dir: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.page.getByLabel(`File to upload to ${dir}`).setInputFiles(file);
    await expect(this.page.getByText(`Uploaded ${file.name} to ${dir}.`)).toBeVisible({ timeout: 60_000 });
  }

  async download(name: string): Promise<Buffer> {
    const [dl] = await Promise.all([
      this.page.waitForEvent('download', { timeout: 60_000 }),
      this.page.getByRole('button', { name: `Download ${name}`, exact: true }).click(),
    ]);
    return readDownload(dl);
  }
}

export async function readDownload(dl: Download): Promise<Buffer> {
  const stream = await dl.createReadStream();
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
