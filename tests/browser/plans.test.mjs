// End-to-end test of the key account plan in a real browser (see lib.mjs):
// create a plan, submit it, approve it, compare versions, download the PDF.
// Run it alone with:
//   CLEF_URL=http://127.0.0.1:8080 node --test tests/browser/plans.test.mjs

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { scenario, signIn, url } from './lib.mjs';

const DIRECTOR = 'director@clef.example';

scenario('A key account plan from draft to approval, its versions and its PDF', 'plans', (step, s) => {
  const page = () => s.page;
  const state = { home: '', v1: '', v2: '' };

  async function statusText() {
    return ((await page().locator('#plan-status').textContent()) ?? '').trim();
  }

  step('signs in as a director and opens a key account without a plan', async () => {
    await signIn(page(), DIRECTOR);
    if ((await page().locator('html').getAttribute('lang')) !== 'en') {
      await page().locator('a[hreflang="en"]').first().click();
      await page().locator('html[lang="en"]').waitFor({ state: 'attached' });
    }
    await page().goto(url('/plans'));
    const row = page().locator('#plans tbody tr', { hasText: 'No plan yet' }).first();
    await row.locator('td:first-child a').click();
    await page().waitForURL((u) => /^\/customers\/\d+\/plan$/.test(u.pathname));
    state.home = new URL(page().url()).pathname;
    await page().locator('.empty').waitFor();
  });

  step('starts the plan and sees the message beside a wrong field, with the text kept', async () => {
    await page().locator('#new-version').click();
    await page().waitForURL((u) => /^\/plan-versions\/\d+\/edit$/.test(u.pathname));
    state.v1 = new URL(page().url()).pathname.replace(/\/edit$/, '');
    // Moving through the fields from the keyboard, the one with the focus
    // stays above the save bar stuck to the bottom of the window.
    await page().locator('[name="objective"]').focus();
    const hidden = [];
    for (let i = 0; i < 60; i += 1) {
      await page().keyboard.press('Tab');
      const under = await page().evaluate(() => {
        const el = document.activeElement;
        if (!el || !el.closest('#plan-form') || el.closest('.sticky-save')) return null;
        const bar = document.querySelector('.sticky-save').getBoundingClientRect();
        const f = el.getBoundingClientRect();
        // Its first line at least shows above the bar (a tall field may go on below it).
        return f.top > bar.top - 20 && f.top < bar.bottom ? el.name || el.id : null;
      });
      if (under) hidden.push(under);
    }
    assert.deepEqual(hidden, [], 'fields hidden under the save bar when they took the focus');
    await page().locator('[name="objective"]').focus();
    await page().locator('[name="objective"]').fill('Become their first supplier of braking parts by 2029.');
    await page().locator('[name="vision"]').fill('A partner for their electric range.');
    await page().locator('[name="actions[0].title"]').fill('Kick-off workshop');
    await page().locator('[name="actions[0].start"]').fill('2027-03-01');
    await page().locator('[name="actions[0].due"]').fill('2027-02-01');
    await page().locator('#save-plan').click();
    const msg = page().locator('[id="actions[0].due-error"]');
    await msg.waitFor();
    assert.match(await msg.textContent(), /before the start/);
    assert.equal(await page().locator('[name="objective"]').inputValue(), 'Become their first supplier of braking parts by 2029.');
    await page().locator('[name="actions[0].due"]').fill('2027-04-01');
    // Enter in a field saves (the form's first buttons add rows).
    await page().locator('[name="actions[0].title"]').press('Enter');
    await page().locator('#plan-notice', { hasText: 'Plan saved.' }).waitFor();
    assert.equal(await statusText(), 'Draft');
  });

  step('submits the plan, then approves it; the approved version is frozen', async () => {
    await page().locator('#submit-plan').click();
    await page().locator('#plan-notice', { hasText: 'Submitted' }).waitFor();
    assert.equal(await statusText(), 'Submitted');
    await page().locator('#approve-plan').click();
    await page().locator('#plan-notice', { hasText: 'Approved' }).waitFor();
    assert.equal(await statusText(), 'Approved');
    await page().locator('#frozen').waitFor();
    assert.equal(await page().locator('#edit-plan').count(), 0, 'an approved plan has no edit button');
    const resp = await page().goto(url(`${state.v1}/edit`));
    assert.equal(resp.status(), 409);
  });

  step('starts next year’s version from the approved one and compares the two', async () => {
    await page().goto(url(state.home));
    await page().locator('#new-version').click();
    await page().waitForURL((u) => /^\/plan-versions\/\d+\/edit$/.test(u.pathname));
    state.v2 = new URL(page().url()).pathname.replace(/\/edit$/, '');
    assert.equal(await page().locator('[name="objective"]').inputValue(), 'Become their first supplier of braking parts by 2029.');
    await page().locator('[name="vision"]').fill('Their first partner in Europe.');
    await page().locator('#save-plan').click();
    await page().locator('#plan-notice', { hasText: 'Plan saved.' }).waitFor();
    await page().goto(url(state.home));
    await page().locator('#compare').click();
    await page().waitForURL((u) => u.pathname === '/plan-versions/compare');
    const row = page().locator('#changes tbody tr', { hasText: 'Vision' });
    await row.waitFor();
    assert.equal((await row.locator('.before').textContent()).trim(), 'A partner for their electric range.');
    assert.equal((await row.locator('.after').textContent()).trim(), 'Their first partner in Europe.');
  });

  step('downloads the Executive Summary as a PDF', async () => {
    await page().goto(url(state.v1));
    const link = page().locator('a.doc-link[data-doc="executive-summary"]', { hasText: 'PDF (FR)' });
    const [download] = await Promise.all([page().waitForEvent('download'), link.click()]);
    assert.match(download.suggestedFilename(), /^executive-summary-.*-v1\.pdf$/);
    const bytes = readFileSync(await download.path());
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(bytes.length > 2_000, `a real document, got ${bytes.length} bytes`);
    assert.match(bytes.subarray(bytes.length - 8).toString('latin1'), /%%EOF\s*$/);
  });
});
