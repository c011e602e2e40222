/**
 * The console in a real browser against the real stack: sign-in (password, TOTP), a denial worked to
 * appeal and overturn, a refused decision showing the workflow's reason, bulk assign, the unmatched
 * match dialog, an ERA refusal naming its segment, the supervisor's stuck list and KPI charts, practice
 * isolation (by URL too), CSRF and session expiry; axe-core on every page.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../api/sessions/totp.js';
import { DEMO_TOTP_SECRET } from '../../db/seed-users.js';
import { axeViolations, type ConsoleStack, signIn, startConsoleStack } from './support.js';

const BILLER = { email: 'biller@sunrise.example', password: 'demo-biller-password' };
const LAKESIDE = { email: 'biller@lakeside.example', password: 'demo-biller-password' };
const SUPERVISOR = { email: 'supervisor@denialdesk.example', password: 'demo-supervisor-password' };
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS === '1';
const fixture = (name: string) => readFileSync(new URL(`../fixtures/x12/${name}`, import.meta.url), 'utf8');

let stack: ConsoleStack;
let appealClaim: { id: string; claimId: string };
let refuseClaim: { id: string; claimId: string };
let bulkClaims: { id: string; claimId: string }[];
let lakesideClaim: { id: string; claimId: string };
let nearDeadlineClaim: { id: string; claimId: string };
const started = Date.now();

beforeAll(async () => {
  stack = await startConsoleStack();
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  [appealClaim, refuseClaim, bulkClaims, lakesideClaim, nearDeadlineClaim] = await Promise.all([
    stack.claim('DENY50-100001'),
    stack.claim('DENY50-100002'),
    Promise.all([stack.claim('CODE4-100003'), stack.claim('CODE4-100004')]),
    stack.claim('DENY50-200001', { practiceId: 'lakeside-ortho', billingProviderNpi: '1987654328' }),
    // Commercial timely filing is 90 days: served 86 days ago, its deadline is this week.
    stack.claim('CODE4-100005', { dateOfService: daysAgo(86) }),
  ]);
  // A payment for a claim we do not know: it waits in the unmatched queue for a supervisor.
  const era = fixture('835-minimal.edi')
    .replaceAll('CHK10001', `CHK${randomUUID().slice(0, 8)}`)
    .replaceAll('PCN0001', `UNK-${randomUUID().slice(0, 6)}`);
  const res = await stack.integration('/remittances', era, 'text/plain');
  expect(res.status).toBe(201);
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  console.log(
    `console browser tests took ${Math.round((Date.now() - started) / 1000)} s including the stack`,
  );
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await stack.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  return { context, page: await context.newPage() };
}

async function expectAccessible(page: Page, what: string) {
  expect(await axeViolations(page), `axe on ${what}`).toEqual([]);
}

describe('the console in a browser', () => {
  it('a biller signs in, sees the queue, works a denial to appeal and to overturn, and the timeline shows it', async () => {
    const { context, page } = await newPage();
    await page.goto(stack.url);
    await expectAccessible(page, 'sign-in');
    await signIn(page, stack.url, BILLER.email, BILLER.password);
    const queue = page.getByRole('table');
    await queue.getByRole('link', { name: appealClaim.claimId }).waitFor();
    await expect(queue.getByRole('link', { name: lakesideClaim.claimId }).count()).resolves.toBe(0);
    await expectAccessible(page, 'queue');
    if (SCREENSHOTS) await page.screenshot({ path: 'docs/console-queue.png', fullPage: false });

    await queue.getByRole('link', { name: appealClaim.claimId }).click();
    await page.getByRole('heading', { name: `Claim ${appealClaim.claimId}` }).waitFor();
    await page
      .getByRole('heading', { name: /^Payment of/ })
      .first()
      .waitFor();
    await expectAccessible(page, 'claim');
    if (SCREENSHOTS) await page.screenshot({ path: 'docs/console-claim.png', fullPage: false });

    const appeal = page.getByRole('form', { name: 'File an appeal' });
    await appeal.getByLabel('Grounds for the appeal').fill('Records attached show medical necessity.');
    await appeal.getByRole('button', { name: 'File appeal' }).click();
    await appeal.getByRole('status').filter({ hasText: 'done' }).waitFor({ timeout: 60_000 });
    const timeline = page.getByRole('list', { name: 'Timeline events' });
    await timeline.getByText(/Needs review → Appealing/).waitFor({ timeout: 30_000 });

    const decision = page.getByRole('form', { name: 'Record the appeal decision' });
    await decision.getByLabel('Outcome').selectOption('overturned');
    await decision.getByRole('button', { name: 'Record appeal decision' }).click();
    await decision.getByRole('status').filter({ hasText: 'done' }).waitFor({ timeout: 60_000 });
    await timeline.getByText(/Appealing → Awaiting payment/).waitFor({ timeout: 30_000 });
    await context.close();
  }, 240_000);

  it('a refused decision shows the workflow’s reason next to its control', async () => {
    const { context, page } = await newPage();
    await signIn(page, stack.url, BILLER.email, BILLER.password);
    await page.goto(`${stack.url}/claim/${refuseClaim.id}`);
    // No appeal was filed: the workflow refuses an appeal decision.
    const decision = page.getByRole('form', { name: 'Record the appeal decision' });
    await decision.getByRole('button', { name: 'Record appeal decision' }).click();
    const alert = decision.getByRole('alert');
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.textContent()).toMatch(/appeal/i);
    await expectAccessible(page, 'claim with a refusal');
    await context.close();
  }, 120_000);

  it('bulk assign gives every selected claim to me, and the result lists each claim', async () => {
    const { context, page } = await newPage();
    await signIn(page, stack.url, BILLER.email, BILLER.password);
    for (const c of bulkClaims)
      await page.getByRole('checkbox', { name: `Select claim ${c.claimId}` }).check();
    await page.getByRole('button', { name: 'Assign selected to me' }).click();
    const results = page.getByRole('heading', { name: /Bulk result: 2 done, 0 refused/ });
    await results.waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'My queue' }).click();
    for (const c of bulkClaims) await page.getByRole('link', { name: c.claimId }).waitFor();
    await context.close();
  }, 120_000);

  it('the keyboard moves through the queue and opens a claim', async () => {
    const { context, page } = await newPage();
    await signIn(page, stack.url, BILLER.email, BILLER.password);
    await page.getByRole('table').getByRole('link').first().waitFor();
    await page.locator('body').press('j');
    await page.keyboard.press('o');
    await page.getByRole('heading', { name: /^Claim / }).waitFor();
    await context.close();
  }, 60_000);

  it('a biller of one practice can neither see nor open a claim of another, even by URL', async () => {
    const { context, page } = await newPage();
    await signIn(page, stack.url, LAKESIDE.email, LAKESIDE.password);
    await page.getByRole('link', { name: lakesideClaim.claimId }).waitFor();
    expect(await page.getByRole('link', { name: appealClaim.claimId }).count()).toBe(0);
    // Search by patient name finds only this practice's claims.
    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByLabel(/patient name or birth date/).fill('Lovelace');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('table').getByRole('link', { name: lakesideClaim.claimId }).waitFor();
    expect(await page.getByRole('link', { name: appealClaim.claimId }).count()).toBe(0);
    await expectAccessible(page, 'search');
    await page.goto(`${stack.url}/claim/${appealClaim.id}`);
    await page.getByRole('heading', { name: 'Claim not found' }).waitFor();
    await expectAccessible(page, 'claim not found');
    // The supervisor pages are not offered to a biller, and the API refuses them.
    expect(await page.getByRole('link', { name: 'Stuck claims' }).count()).toBe(0);
    const status = await page.evaluate(async () => (await fetch('/claims/stuck')).status);
    expect(status).toBe(403);
    await context.close();
  }, 60_000);

  it('a POST without the CSRF token is refused, the same POST with it is not', async () => {
    const { context, page } = await newPage();
    await signIn(page, stack.url, BILLER.email, BILLER.password);
    const answer = await page.evaluate(async (id) => {
      const post = (headers: Record<string, string>) =>
        fetch(`/claims/${id}/notes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ text: 'checked the remark code' }),
        });
      const without = await post({});
      const csrf = ((await (await fetch('/session')).json()) as { csrfToken: string }).csrfToken;
      const withToken = await post({ 'x-csrf-token': csrf });
      return {
        without: without.status,
        detail: ((await without.json()) as { detail: string }).detail,
        with: withToken.status,
      };
    }, refuseClaim.id);
    expect(answer.without).toBe(403);
    expect(answer.detail).toMatch(/x-csrf-token/);
    expect(answer.with).toBe(200);
    await context.close();
  }, 60_000);

  it('a supervisor signs in with TOTP, sees stuck claims, the KPI charts, and matches an unmatched payment', async () => {
    const { context, page } = await newPage();
    await page.goto(stack.url);
    await page.getByLabel('Email').fill(SUPERVISOR.email);
    await page.getByLabel('Password').fill(SUPERVISOR.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /authenticator/ })
      .waitFor();
    await signIn(page, stack.url, SUPERVISOR.email, SUPERVISOR.password, totpCode(DEMO_TOTP_SECRET));

    await page.getByRole('link', { name: 'Stuck claims' }).click();
    const stuck = page.getByRole('table');
    await stuck
      .getByRole('link', { name: nearDeadlineClaim.claimId, exact: true })
      .waitFor({ timeout: 30_000 });
    expect(await stuck.textContent()).toMatch(/Deadline near/);
    await expectAccessible(page, 'stuck list');

    await page.getByRole('link', { name: 'KPIs' }).click();
    await page.getByRole('combobox', { name: 'Practice' }).selectOption('sunrise-fp');
    for (const name of [
      /A\/R aging/,
      /Denials by category/,
      /Denial rate by payer/,
      /Time to first action/,
      /Trends by month/,
    ]) {
      await page.getByRole('img', { name }).waitFor({ timeout: 30_000 });
    }
    await expectAccessible(page, 'KPI dashboard');
    if (SCREENSHOTS) await page.screenshot({ path: 'docs/console-kpis.png', fullPage: true });

    await page.getByRole('link', { name: 'Users' }).click();
    await page
      .getByRole('table', { name: 'Console users of my practices' })
      .getByText('biller@sunrise.example')
      .waitFor();
    await expectAccessible(page, 'users');

    await page.getByRole('link', { name: 'Payer rules' }).click();
    await page.getByRole('combobox', { name: 'Payer' }).selectOption('BLUEPEAK');
    await page.getByRole('button', { name: "Edit a copy of sunrise-fp's rules" }).click();
    const rulesText = page.getByLabel('Rules (JSON)');
    const rules = JSON.parse(await rulesText.inputValue()) as { maxFollowUps: number };
    await rulesText.fill(JSON.stringify({ ...rules, maxFollowUps: rules.maxFollowUps + 1 }));
    await page.getByRole('button', { name: 'Save rule change' }).click();
    await page.getByRole('status').filter({ hasText: 'Rule change saved' }).waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'sunrise-fp (practice override)' }).waitFor();
    await expectAccessible(page, 'payer rules');

    await page.getByRole('link', { name: 'Unmatched remittances' }).click();
    await page
      .getByRole('button', { name: /^Match UNK-/ })
      .first()
      .click();
    const dialog = page.getByRole('dialog', { name: /Match payment/ });
    await dialog.waitFor();
    await expectAccessible(page, 'match dialog');
    await dialog.getByLabel('Claim (uuid)').fill(nearDeadlineClaim.id);
    await dialog.getByRole('button', { name: 'Post to this claim' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `to claim ${nearDeadlineClaim.claimId}` })
      .waitFor({ timeout: 30_000 });
    await expectAccessible(page, 'unmatched queue');
    await context.close();
  }, 180_000);

  it('an ERA upload that is refused shows the segment and rule', async () => {
    const { context, page } = await newPage();
    await signIn(page, stack.url, SUPERVISOR.email, SUPERVISOR.password, totpCode(DEMO_TOTP_SECRET));
    await page.getByRole('link', { name: 'ERA upload' }).click();
    await expectAccessible(page, 'ERA upload');
    await page.getByLabel('835 file', { exact: true }).setInputFiles({
      name: 'bad.835',
      mimeType: 'text/plain',
      buffer: Buffer.from(fixture('835-unbalanced-claim.edi')),
    });
    await page.getByRole('button', { name: 'Upload ERA' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(/segment \d+ \(/);
    expect(await alert.textContent()).toMatch(/nothing was posted/);
    await expectAccessible(page, 'ERA refusal');
    await context.close();
  }, 60_000);

  it('an idle session expires: the next action asks to sign in again', async () => {
    const { context, page } = await newPage();
    await signIn(page, stack.url, BILLER.email, BILLER.password);
    await stack.tdb.db
      .withTables<{ sessions: { user_id: string; last_seen_at: Date } }>()
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 60 * 60_000) })
      .where('user_id', '=', 'biller.sunrise')
      .execute();
    const ended = page.getByRole('status').filter({ hasText: 'Your session has ended' });
    // The queue refetches on its own every 15 s; when that refetch meets the expired session first, the
    // sign-in page replaces the queue before the click lands. Either way the console must ask to sign in.
    await page
      .getByRole('button', { name: 'Unassigned' })
      .click({ timeout: 5_000 })
      .catch(async (error: unknown) => {
        if (!(await ended.isVisible())) throw error;
      });
    await ended.waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await context.close();
  }, 60_000);
});
