// What leaves the machine, in Chromium against a real `casebench serve` and the fake providers:
// Settings → Privacy masks personal data too; a pasted ticket's secrets and e-mail never reach the
// server (its request log says so) while its resource ids do and its facts show the real values; a
// vague ticket is held with what to ask for, and "Triage anyway" sends it.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { tempDir } from '../cli/helpers.ts';
import { runCommand } from './palette.ts';
import { openWorkbench, type WorkbenchSession } from './session.ts';

let fake: FakeServer;
let session: WorkbenchSession;
const pageErrors: string[] = [];
const sent = (): string => fake.stats.log.map((e) => e.body ?? '').join('\n');

const TICKET = "Hi, I'm Jane Doe (jane.doe@acme.io). Our S3 bucket s3://acme-logs-prod in account 123456789012 denies access to arn:aws:iam::123456789012:role/DataLoader; we use access key AKIAIOSFODNN7EXAMPLE and the db password is hunter2hunter2.";

beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 20 });
  session = await openWorkbench(
    { GROQ_API_KEY: 'gsk_E2EPRIVACY-KEY00000000000000000wxyz', GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL },
    join(tempDir(), 'cb.db'),
    { errors: pageErrors },
  );
});
afterAll(async () => {
  await session?.close();
  await fake?.close();
});

async function paste(text: string): Promise<void> {
  const page = session.b.page;
  await runCommand(page, 'new ticket', 'tickets.new');
  await page.getByTestId('ticket-input').fill(text);
  await page.getByTestId('ticket-input').press('Control+Enter');
}

describe('what leaves the machine (browser mode)', () => {
  it('Settings → Privacy: personal data masked too; the server sees placeholders, the screen the real values', async () => {
    const page = session.b.page;
    await page.keyboard.press('Control+,');
    await page.getByTestId('settings-nav-privacy').click();
    expect(await page.getByTestId('privacy-secrets').isChecked()).toBe(true);
    expect(await page.getByTestId('privacy-personal').isChecked()).toBe(false);
    await page.getByTestId('privacy-personal').check();
    await expect.poll(() => page.getByTestId('privacy-personal').isChecked()).toBe(true);
    await page.getByText('saved').first().waitFor();

    fake.resetStats();
    await paste(TICKET);
    await page.getByTestId('total-ms').waitFor({ timeout: 60_000 });
    const body = sent();
    expect(fake.stats.total).toBe(5);
    for (const v of ['AKIAIOSFODNN7EXAMPLE', 'hunter2hunter2', 'jane.doe@acme.io', 'Jane Doe']) expect(body).not.toContain(v);
    for (const p of ['<AWS_ACCESS_KEY_1>', '<PASSWORD_1>', '<EMAIL_1>', '<NAME_1>']) expect(body).toContain(p);
    for (const id of ['acme-logs-prod', '123456789012', 'arn:aws:iam::123456789012:role/DataLoader']) expect(body).toContain(id);
    // the asset ids the model read are shown as they are in the ticket
    expect(await page.getByTestId('card-asset_ids').textContent()).toContain('acme-logs-prod');
  });

  it('holds a vague ticket with what to ask the customer for; "Triage anyway" sends it', async () => {
    const page = session.b.page;
    fake.resetStats();
    await paste('Our website is slow, please check.');
    const banner = page.getByTestId('triage-error');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/Held: needs information.*held for more information.*which cloud provider/s);
    expect(fake.stats.total).toBe(0);
    await page.getByTestId('triage-anyway').click();
    await page.getByTestId('total-ms').waitFor({ timeout: 60_000 });
    expect(fake.stats.total).toBe(5);
    expect(pageErrors).toEqual([]);
  });
});
