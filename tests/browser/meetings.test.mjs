// End-to-end test of meeting rituals in a real browser (see lib.mjs): plan a
// year for an account, hold a review, record its evaluation, and see the
// overdue mark disappear. Run it alone with:
//   CLEF_URL=http://127.0.0.1:8080 node --test tests/browser/meetings.test.mjs

import assert from 'node:assert/strict';
import { scenario, signIn, url } from './lib.mjs';

const DIRECTOR = 'director@clef.example';

scenario('A year of reviews planned, one held and evaluated, the overdue mark gone', 'meetings', (step, s) => {
  const page = () => s.page;
  const state = { meetings: '' };
  const overdue = () => page().locator('#overdue-key_account_review');

  step('signs in and opens a key account’s meetings', async () => {
    await signIn(page(), DIRECTOR);
    if ((await page().locator('html').getAttribute('lang')) !== 'en') {
      await page().locator('a[hreflang="en"]').first().click();
      await page().locator('html[lang="en"]').waitFor({ state: 'attached' });
    }
    await page().goto(url('/customers?status=key_account'));
    await page().locator('table tbody tr td a').last().click();
    await page().waitForURL((u) => /^\/customers\/\d+$/.test(u.pathname));
    await page().locator('#meetings-link').click();
    await page().waitForURL((u) => /^\/customers\/\d+\/meetings$/.test(u.pathname));
    state.meetings = new URL(page().url()).pathname;
  });

  step('plans a year of Key Account Reviews that started 200 days ago: the first is overdue', async () => {
    const start = new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10);
    const form = page().locator('#plan-year-form');
    await form.locator('#format_id').selectOption({ label: 'Key Account Review (2–4 / year)' });
    await form.locator('#per_year').fill('2');
    await form.locator('#on').fill(start);
    await form.locator('#at').fill('10:00');
    await form.locator('#primary_objective').selectOption('cross_performance');
    await form.locator('#user_ids').selectOption({ label: 'Henri Lambert' });
    await form.locator('#plan-year').click();
    await page().waitForURL((u) => u.pathname === state.meetings);
    await overdue().waitFor();
    assert.match(await overdue().textContent(), /Overdue/);
    assert.ok(await page().locator('#year-calendar li').count() >= 1, 'the year calendar shows the planned review');
  });

  step('holds the first review: minutes, status held', async () => {
    await page().locator('#meetings-table a', { hasText: 'Key Account Review 1/2' }).click();
    await page().waitForURL((u) => /^\/meetings\/\d+$/.test(u.pathname));
    await page().locator('#status').selectOption('held');
    await page().locator('#minutes').fill('Reviewed delivery performance; agreed a joint improvement plan.');
    await page().locator('#decisions').fill('A weekly call between both logistics teams.');
    await page().locator('#save-meeting').click();
    await page().locator('#meeting-status', { hasText: 'Held' }).waitFor();
  });

  step('records its evaluation', async () => {
    const form = page().locator('#evaluation-form');
    await form.locator('#objective_met').selectOption('4');
    await form.locator('#satisfaction').selectOption('5');
    await form.locator('#comment').fill('The customer asked for the same review next quarter.');
    await form.locator('#save-evaluation').click();
    await page().locator('#notice', { hasText: 'Evaluation saved.' }).waitFor();
    assert.equal(await page().locator('#objective_met').inputValue(), '4');
    assert.equal(await page().locator('#satisfaction').inputValue(), '5');
  });

  step('the overdue mark has disappeared from the account’s cadence', async () => {
    await page().goto(url(state.meetings));
    await page().locator('#cadence tr[data-format="key_account_review"]').waitFor();
    assert.equal(await overdue().count(), 0, 'no overdue mark once the review was held');
    const row = page().locator('#cadence tr[data-format="key_account_review"]');
    assert.match(await row.textContent(), /1 \/ 2–4/);
  });
});
