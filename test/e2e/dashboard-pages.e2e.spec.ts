import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addDays, type AreaConfig, type CloudEvent, londonDateOf } from '@hub/kernel';
import { projectionFields } from '@hub/sharing';
import { createTestDatabase, hubTarget, type HubTarget, repoRoot, runHub, startHubServer, type RunningHub, type TestDatabase } from '@hub/testing';
import { launchChromium, screenshot, seriousAccessibilityViolations } from '../support/dashboard-browser';

const dir = resolve(repoRoot, 'test', 'fixtures', 'scenarios');
/**
 * The scenario's area, except that probation receives continuity-of-care data under an agreement of
 * its own that shares every field but the substance group.
 */
function areaWithProbationWithoutSubstances(): string {
  const area = JSON.parse(readFileSync(resolve(dir, 'alerts-and-reviews.area.json'), 'utf8')) as AreaConfig;
  const cdp = area.agreements[0]!;
  const clause = cdp.purposes.find((p) => p.purpose === 'continuity-of-care')!;
  const probation = {
    ...cdp, id: 'dsa-northshire-probation', title: 'Northshire probation information sharing agreement',
    purposes: [{ ...clause, recipients: ['probation-northshire'], fields: projectionFields.filter((f) => f !== 'substanceGroup') }],
  };
  const shared = { ...cdp, purposes: cdp.purposes.map((p) => (p === clause ? { ...p, recipients: p.recipients.filter((r) => r !== 'probation-northshire') } : p)) };
  const file = join(mkdtempSync(join(tmpdir(), 'hub-dashboard-')), 'area.json');
  writeFileSync(file, JSON.stringify({ ...area, agreements: [shared, probation] }));
  return file;
}
const scenarioFile = resolve(dir, 'alerts-and-reviews.ndjson');
const scenario = readFileSync(scenarioFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as CloudEvent);
const expected = JSON.parse(readFileSync(resolve(dir, 'alerts-and-reviews.expected.json'), 'utf8')) as {
  alerts: { id: string; code: string; person: string | null; status: string }[];
  reviews: { id: string; person: string; priority: string; diedOn: string }[];
};

/** One more person: released to NRP five days ago, not engaged yet (on its worklist with 16 days left). */
const today = londonDateOf(new Date());
const releasedOn = addDays(today, -5);
const template = scenario.find((e) => e.type === 'prison.release.recorded.v1' && (e.data as { referral?: { providerId?: string } }).referral?.providerId === 'NRP')!;
const recentRelease: CloudEvent = {
  ...template, id: randomUUID(), subject: 'A2099BC', time: `${releasedOn}T09:00:00Z`,
  data: {
    ...(template.data as object), recordId: 'REL-A2099BC', releasedOn, referral: { providerId: 'NRP', referredOn: releasedOn },
    person: { nomisId: 'A2099BC', givenName: 'Zara', familyName: 'Quinlan', dateOfBirth: '1990-02-02', sex: 'F' },
  },
};

/** Every page a test visits is scanned with axe-core and photographed. */
async function checkPage(page: Page, name: string): Promise<void> {
  expect({ page: name, violations: await seriousAccessibilityViolations(page) }).toEqual({ page: name, violations: [] });
  await screenshot(page, name);
}

async function signInAs(context: BrowserContext, url: string, agencyName: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await page.getByLabel(agencyName).check();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: agencyName }).waitFor();
  return page;
}

describe('the dashboard in a real browser (test/fixtures/scenarios/alerts-and-reviews)', () => {
  let db: TestDatabase;
  let target: HubTarget;
  let server: RunningHub;
  let browser: Browser;

  beforeAll(async () => {
    db = await createTestDatabase('hub_e2e_dashboard');
    target = hubTarget(db.url);
    expect((await runHub(target, ['init', '--config', areaWithProbationWithoutSubstances()])).json()).toMatchObject({ agencies: 11, agreements: 2 });
    expect((await runHub(target, ['ingest', scenarioFile])).json()).toEqual({ accepted: scenario.length, duplicates: 0, rejected: 0, errors: [] });
    const recent = join(mkdtempSync(join(tmpdir(), 'hub-dashboard-')), 'recent.ndjson');
    writeFileSync(recent, `${JSON.stringify(recentRelease)}\n`);
    expect((await runHub(target, ['ingest', recent])).json()).toMatchObject({ accepted: 1, rejected: 0 });
    // A CLI read catches the projections up (identity links, alerts, cases, continuity) before the browser looks.
    expect((await runHub(target, ['alerts'])).json<unknown[]>()).toHaveLength(expected.alerts.length);
    [server, browser] = await Promise.all([startHubServer(target, { HUB_DASHBOARD_SIGN_IN: 'demo' }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await db.drop();
  });

  it('the treatment provider signs in, sees its alerts, acknowledges one and sees it leave the list (and arrive on the live feed)', async () => {
    const context = await browser.newContext();
    const signIn = await context.newPage();
    await signIn.goto(`${server.url}/`);
    expect(new URL(signIn.url()).pathname).toBe('/dashboard/sign-in');
    await checkPage(signIn, '01-sign-in');
    await signIn.close();

    const page = await signInAs(context, server.url, 'Northshire Recovery Partnership');
    await checkPage(page, '02-overview-treatment');
    await page.getByRole('link', { name: 'Alerts', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    const overdose = expected.alerts.find((a) => a.code === 'POST_RELEASE_OVERDOSE' && a.person === 'Arkwright')!;
    const waiting = expected.alerts.filter((a) => a.status === 'open' && a.code !== 'OVERDOSE_CLUSTER' && a.code !== 'ENGAGEMENT_AT_RISK');
    await expect(page.locator('[data-alert-table] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-alert-id')).sort()))
      .resolves.toEqual(waiting.map((a) => a.id).sort());
    await page.locator('[data-feed-status]').filter({ hasText: 'Connected' }).waitFor();
    await checkPage(page, '03-alerts-to-acknowledge');

    // A colleague acknowledges in another tab; the first tab's live feed says so.
    const colleague = await context.newPage();
    await colleague.goto(`${server.url}/dashboard/alerts/${overdose.id}?purpose=near-miss-alerting`);
    await checkPage(colleague, '04-alert');
    await colleague.getByRole('button', { name: 'Acknowledge alert' }).click();
    await colleague.locator('.govuk-error-summary').getByRole('link', { name: /needs a note/ }).waitFor();
    await checkPage(colleague, '04-alert-note-missing');
    await colleague.getByLabel('What are you doing about this alert?').fill('Called; assessment booked for Tuesday');
    await colleague.getByRole('button', { name: 'Acknowledge alert' }).click();
    await colleague.getByText('Alert acknowledged').waitFor();
    expect(await colleague.locator(`[data-alert-id="${overdose.id}"]`).count()).toBe(0);
    await page.locator('[data-feed-list] li').filter({ hasText: 'POST_RELEASE_OVERDOSE (high) is acknowledged' }).waitFor();

    await colleague.getByRole('link', { name: 'Acknowledged', exact: true }).click();
    await colleague.locator(`[data-alert-id="${overdose.id}"]`).getByText('Northshire Recovery Partnership').waitFor();
    await colleague.getByRole('link', { name: 'Agreements', exact: true }).click();
    await colleague.getByRole('heading', { level: 1, name: 'Data sharing agreements' }).waitFor();
    await checkPage(colleague, '05-agreements');

    // A form posted without its token (as another site would) is refused.
    const forged = await context.request.post(`${server.url}/dashboard/alerts/${overdose.id}/acknowledge`, { form: { note: 'forged', purpose: 'near-miss-alerting' } });
    expect(forged.status()).toBe(400);
    expect(await forged.text()).toContain('was not sent from this dashboard session');
    await context.close();
  });

  it('the treatment provider works its worklist and reads continuity of care by month, for one prison, as CSV too, exactly as the API reports it', async () => {
    const context = await browser.newContext();
    const page = await signInAs(context, server.url, 'Northshire Recovery Partnership');
    await page.getByRole('link', { name: 'Worklist', exact: true }).first().click();
    await expect(page.locator('tbody tr').allInnerTexts()).resolves.toEqual([expect.stringMatching(new RegExp(`^\\S+\\t16 days\\t${addDays(today, 16)}\\t${releasedOn} from HMP Northgate\\t`))]);
    await checkPage(page, '13-worklist');

    await page.getByRole('link', { name: 'Continuity of care', exact: true }).first().click();
    await page.getByLabel('Released from').fill('2025-01-01');
    await page.getByLabel('Released to').fill('2025-12-31');
    await page.getByLabel('Prison').selectOption({ label: 'HMP Northgate' });
    await page.getByRole('button', { name: 'Show report' }).click();
    await page.getByRole('heading', { name: 'Rate by month: HMP Northgate' }).waitFor();
    const token = (await runHub(target, ['token', '--agency', 'treatment-northshire-recovery'])).stdout.trim();
    const api = await (await fetch(`${server.url}/v1/reports/continuity-of-care?from=2025-01-01&to=2025-12-31&groupBy=month,prisonId`, {
      headers: { authorization: `Bearer ${token}`, 'x-purpose': 'continuity-of-care' },
    })).json() as { rows: { group: { month: string; prisonId: string }; released: number; engaged: number; notEngaged: number; pending: number; excluded: number; rate: number | null }[] };
    const northgate = api.rows.filter((r) => r.group.prisonId === 'NGI').sort((a, b) => a.group.month.localeCompare(b.group.month));
    expect(northgate.length).toBeGreaterThan(0);
    const shown = (await page.locator('tbody tr[data-month]').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
    expect(shown).toEqual(northgate.map((r) =>
      [r.group.month, r.released, r.engaged, r.notEngaged, r.pending, r.excluded, r.rate === null ? '–' : `${(r.rate * 100).toFixed(1)}%${r.rate < 0.75 ? ' (below target)' : ''}`].join(' ')));
    expect(await page.locator('svg.app-chart rect').count()).toBe(northgate.filter((r) => r.rate !== null).length);
    await checkPage(page, '14-continuity');

    const csv = await context.request.get(`${server.url}${await page.getByRole('link', { name: 'Download as CSV' }).getAttribute('href')}`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).split('\r\n')).toEqual([
      'month,prisonId,released,engaged,notEngaged,pending,excluded,rate',
      ...northgate.map((r) => [r.group.month, 'NGI', r.released, r.engaged, r.notEngaged, r.pending, r.excluded, r.rate ?? ''].join(',')), '',
    ]);

    await page.getByLabel('As of').fill('2020-01-01');
    await page.getByRole('button', { name: 'Show report' }).click();
    await page.getByText('No releases in this period for HMP Northgate.').waitFor();
    await context.close();
  });

  it('public health reads continuity of care as aggregates, with disclosure control always on', async () => {
    const context = await browser.newContext();
    const page = await signInAs(context, server.url, 'Northshire Public Health');
    await page.goto(`${server.url}/dashboard/continuity?from=2025-01-01&to=2025-12-31`);
    await page.getByText('Disclosure control is on').waitFor();
    const cells = await page.locator('tbody tr[data-month] td').allInnerTexts();
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) expect(cell).toMatch(/^(Suppressed|0|\d*[05]|–|\d+\.\d%.*)$/);
    await checkPage(page, '15-continuity-aggregate');
    await context.close();
  });

  it('the drug information panel sees overdose clusters per local authority, without person data', async () => {
    const context = await browser.newContext();
    const page = await signInAs(context, server.url, 'Northshire Local Drug Information System panel');
    await page.goto(`${server.url}/dashboard/alerts`);
    const clusters = page.getByRole('table', { name: 'Overdose clusters by local authority' });
    await expect(clusters.locator('tbody tr').allInnerTexts()).resolves.toEqual([expect.stringMatching(/\t1\t3\t/)]);
    await checkPage(page, '06-alerts-clusters');
    await context.close();
  });

  it('public health opens a P1 review case and takes it through to recorded findings', async () => {
    const context = await browser.newContext();
    const page = await signInAs(context, server.url, 'Northshire Public Health');
    await page.getByRole('link', { name: 'Death review queue' }).first().click();
    const rows = page.locator('tbody tr[data-case-id]');
    await rows.first().waitFor();
    const priorities = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('.govuk-tag')!.textContent!.trim()));
    expect(priorities).toEqual([...priorities].sort());
    await checkPage(page, '07-review-queue');

    const ingleby = expected.reviews.find((r) => r.person === 'Ingleby')!;
    await page.locator(`tr[data-case-id="${ingleby.id}"]`).getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: `Review case: died ${ingleby.diedOn}` }).waitFor();
    const inglebyRef = (await page.locator('.govuk-caption-l').innerText()).trim();
    await expect(page.locator('.app-timeline__title').allInnerTexts()).resolves.toEqual(expect.arrayContaining([expect.stringContaining('Released from prison')]));
    await checkPage(page, '08-review-case');

    await page.getByLabel('Who leads the review?').fill('DRD panel: J. Patel');
    await page.getByRole('button', { name: 'Assign case' }).click();
    await page.getByText('Case assigned.').waitFor();
    await page.getByRole('button', { name: 'Start review' }).click();
    await page.getByText('Review started.').waitFor();
    await page.getByRole('button', { name: 'Record findings' }).click();
    await page.locator('.govuk-error-summary').getByText('findings').waitFor();
    await checkPage(page, '09-review-findings-missing');
    await page.getByLabel('Findings').fill('Released on a Friday without a bridging prescription');
    await page.getByLabel('Learning points').fill('Same-week treatment appointment booked before release\nNaloxone on release');
    await page.getByRole('button', { name: 'Record findings' }).click();
    await page.getByText('Findings recorded.').waitFor();
    await expect(page.locator('ul.govuk-list--bullet li').allInnerTexts()).resolves.toEqual(['Same-week treatment appointment booked before release', 'Naloxone on release']);
    await checkPage(page, '10-review-findings-recorded');
    // The pages read through the API's query handlers: what was shown is in the disclosure log.
    const { rows: disclosures } = await db.database.query<{ channel: string; purpose: string; refs: string[] }>(
      `SELECT entry->>'channel' AS channel, entry->>'purpose' AS purpose, ARRAY(SELECT jsonb_array_elements_text(entry->'personRefs')) AS refs
         FROM sharing.disclosure_log WHERE entry->>'recipient' = 'la-northshire-public-health'`,
    );
    expect(disclosures.length).toBeGreaterThan(0);
    expect(disclosures.every((r) => r.channel === 'review' && r.purpose === 'drd-review')).toBe(true);
    expect(disclosures.flatMap((r) => r.refs)).toContain(inglebyRef);
    // ...and the agency's data protection officer reads it on the disclosure log page.
    await page.getByRole('link', { name: 'Disclosure log', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Disclosure log' }).waitFor();
    const logged = await page.locator('tbody tr').allInnerTexts();
    expect(logged).toHaveLength(disclosures.length);
    expect(logged.every((row) => row.includes('Northshire Public Health') && row.includes('drug-related death review, review'))).toBe(true);
    expect(logged.join('\n')).toContain(inglebyRef);
    await checkPage(page, '10b-disclosure-log');
    await context.close();
  });

  it('probation signs in with a token, sees an alert without the substance group its agreement withholds, and is refused the death review', async () => {
    const token = (await runHub(target, ['token', '--agency', 'probation-northshire'])).stdout.trim();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/dashboard/sign-in`);
    await page.getByText('Sign in with a token instead').click();
    await page.getByLabel('Your access token').fill(token);
    await page.getByRole('button', { name: 'Sign in with a token' }).click();
    await page.getByRole('heading', { level: 1, name: 'Probation Service, Northshire PDU' }).waitFor();
    await expect(page.locator('.govuk-grid-column-one-half', { hasText: 'Death review queue' }).innerText()).resolves.toContain('Not shared with you');

    // An engagement alert: the release shown, its substance group withheld by probation's agreement.
    const atRisk = expected.alerts.find((a) => a.code === 'ENGAGEMENT_AT_RISK' && a.person === 'Bellamy')!;
    await page.getByRole('link', { name: 'Alerts', exact: true }).first().click();
    await page.getByLabel('Purpose').selectOption('continuity-of-care');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('link', { name: 'Closed or resolved' }).click();
    await page.locator(`[data-alert-id="${atRisk.id}"]`).getByRole('link').click();
    const detail = page.locator('.govuk-summary-list__row', { hasText: 'Substance group' });
    await expect(detail.innerText()).resolves.toMatch(/Substance group\s+Not shared with you under the agreements/);
    await expect(page.locator('.govuk-summary-list__row', { hasText: 'Released on' }).innerText()).resolves.toMatch(/Released on\s+\d{4}-\d{2}-\d{2}/);
    await checkPage(page, '11-alert-substances-withheld');

    const ingleby = expected.reviews.find((r) => r.person === 'Ingleby')!;
    const response = await page.goto(`${server.url}/dashboard/reviews/${ingleby.id}`);
    expect(response!.status()).toBe(403);
    await page.getByRole('heading', { level: 1, name: 'You cannot see this information' }).waitFor();
    await expect(page.locator('main').innerText()).resolves.toContain('probation-northshire is not a recipient for purpose drd-review');
    expect(await page.locator('main').innerText()).not.toMatch(/suspected substances|Released from prison/i);
    await checkPage(page, '12-review-refused');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    await page.goto(`${server.url}/dashboard/alerts`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
    await context.close();
  });
});
