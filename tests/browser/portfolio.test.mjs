// End-to-end test of Clef's portfolio UI in a real browser.
//
// Drives Debian's Chromium (/usr/bin/chromium) through playwright-core against
// a running clef server at $CLEF_URL (started by scripts/test with
// `serve --demo --customers 300`). Run it alone with:
//   CLEF_URL=http://127.0.0.1:8080 node --test tests/browser/portfolio.test.mjs

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENSHOT_DIR, TIMEOUT, fold, poll, scenario, signIn, url } from './lib.mjs';

const EMAIL = 'admin@clef.example';

scenario('Clef portfolio in a browser', 'portfolio', (step, s) => {
  // What the steps learn and hand to the next ones.
  const state = { term: '', customerName: '', customerPath: '', editedName: '' };
  const page = () => s.page;
  async function htmlLang() {
    return page().locator('html').getAttribute('lang');
  }
  async function h1Text() {
    return ((await page().locator('h1').first().textContent()) ?? '').trim();
  }
  async function waitForLang(lang) {
    await page().locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
    await page().waitForLoadState('load');
  }

  step('signs in with the demo credentials and lands on /customers', async () => {
    await signIn(page(), EMAIL);
  });

  step('shows the portfolio in English', async () => {
    // The demo administrator may prefer French: choose English first.
    if ((await htmlLang()) !== 'en') {
      await page().locator('a[hreflang="en"]').first().click();
      await waitForLang('en');
    }
    assert.equal(await htmlLang(), 'en');
    assert.match(await h1Text(), /^Portfolio\b/);
    assert.ok((await page().locator('#customers a.customer-link').count()) > 0, 'the portfolio lists customers');
    const count = ((await page().locator('#result-count').textContent()) ?? '').trim();
    assert.ok(count.length > 0, '#result-count is not empty');
  });

  step('switches to French', async () => {
    await page().locator('a[hreflang="fr"]').first().click();
    await waitForLang('fr');
    assert.equal(await htmlLang(), 'fr');
    assert.match(await h1Text(), /^Portefeuille\b/);
  });

  step('remembers French across a reload', async () => {
    await page().reload();
    await waitForLang('fr');
    assert.equal(await htmlLang(), 'fr');
    assert.match(await h1Text(), /^Portefeuille\b/);
  });

  step('switches back to English', async () => {
    await page().locator('a[hreflang="en"]').first().click();
    await waitForLang('en');
    assert.equal(await htmlLang(), 'en');
    assert.match(await h1Text(), /^Portfolio\b/);
  });

  step('says in place when a filter changed without submitting cannot be read', async () => {
    await page().goto(url('/customers'));
    await page().locator('#country').fill('ZZ');
    // Leaving the field changes the list in place (no page load).
    await page().locator('#country').press('Tab');
    const alert = page().locator('#results #filter-errors');
    await alert.waitFor({ timeout: TIMEOUT });
    const text = ((await alert.textContent()) ?? '').trim();
    assert.match(text, /Country|Pays/, `the alert names the filter: "${text}"`);
    assert.equal(await page().locator('#customers').count(), 0, 'no list looks filtered by it');
    await page().locator('#country').fill('');
    await page().locator('#country').press('Tab');
    await page().locator('#results #customers').waitFor({ timeout: TIMEOUT });
  });

  step('searches the portfolio by the first word of the first customer', async () => {
    if (new URL(page().url()).pathname !== '/customers') await page().goto(url('/customers'));
    const first = page().locator('#customers a.customer-link').first();
    const name = ((await first.textContent()) ?? '').trim();
    assert.ok(name, 'the first customer has a name');
    state.term = name.split(/\s+/)[0];
    const countBefore = ((await page().locator('#result-count').textContent()) ?? '').trim();

    await page().locator('#q').fill(state.term);
    // Submit the filters form as a person would (the page's own submit
    // handlers run; without any, the browser submits the GET form).
    // The submission may navigate before the evaluation answers: only that
    // is expected, any other failure fails the test.
    await page()
      .locator('#filters')
      .evaluate((f) => f.requestSubmit())
      .catch((e) => {
        if (!/context was destroyed|navigat/i.test(String(e))) throw e;
      });

    // Done when the URL carries the term or the result count changed.
    await poll('the search results', async () => {
      const q = new URL(page().url()).searchParams.get('q');
      if (q !== null && fold(q) === fold(state.term)) return true;
      const now = ((await page().locator('#result-count').textContent({ timeout: 1_000 })) ?? '').trim();
      return now !== countBefore;
    });
    await page().waitForLoadState('load');

    const firstResult = page().locator('#customers a.customer-link').first();
    await firstResult.waitFor();
    const resultName = ((await firstResult.textContent()) ?? '').trim();
    assert.ok(
      fold(resultName).includes(fold(state.term)),
      `first result "${resultName}" should contain the searched term "${state.term}"`,
    );
    assert.equal(await page().locator('#q').inputValue(), state.term, 'the search box keeps the term');
    // The search narrowed the list: fewer customers than the whole portfolio.
    // "1,234 customers · 1–50": the number before the range.
    const total = (text) => Number(text.split('·')[0].replace(/\D/g, ''));
    const countAfter = total(((await page().locator('#result-count').textContent()) ?? '').trim());
    const all = total(countBefore);
    assert.ok(countAfter > 0 && countAfter < all, `the search found ${countAfter} of ${all} customers`);

    // The export link keeps the current filters.
    const href = await page().locator('#export-csv').getAttribute('href');
    assert.ok(href, '#export-csv has an href');
    const exportUrl = new URL(href, page().url());
    assert.equal(exportUrl.pathname, '/customers.csv');
    assert.equal(fold(exportUrl.searchParams.get('q')), fold(state.term), `export link ${href} keeps q`);
  });

  step('announces the new count when a filter changes the list in place', async () => {
    await page().goto(url('/customers'));
    assert.equal(((await page().locator('#live').textContent()) ?? '').trim(), '');
    await page().locator('#q').fill(state.term);
    await page().waitForFunction(() => (document.getElementById('live')?.textContent ?? '').trim() !== '');
    const said = ((await page().locator('#live').textContent()) ?? '').trim();
    assert.equal(said, ((await page().locator('#result-count').textContent()) ?? '').trim());
    assert.match(said, /customer/);
    // The exports follow the list as it now stands.
    const q = `q=${encodeURIComponent(state.term)}`;
    assert.ok((await page().locator('#export-csv').getAttribute('href')).includes(q));
    assert.ok((await page().locator('#export-figures-csv').getAttribute('href')).includes(q));
  });

  step('opens the customer', async () => {
    const firstResult = page().locator('#customers a.customer-link').first();
    state.customerName = ((await firstResult.textContent()) ?? '').trim();
    await firstResult.click();
    await page().waitForURL((u) => /^\/customers\/\d+$/.test(u.pathname));
    state.customerPath = new URL(page().url()).pathname;
    assert.equal(await h1Text(), state.customerName);
    const editHref = await page().locator('#edit-customer').getAttribute('href');
    assert.ok(editHref, '#edit-customer has an href');
    assert.equal(new URL(editHref, page().url()).pathname, `${state.customerPath}/edit`);
  });

  step('prints the contacts\' headings as words, not as buttons, and hides the links to act', async () => {
    const heading = page().locator('#contact-list thead th').first();
    assert.equal(await heading.count(), 1, 'every demo customer has contacts');
    await page().emulateMedia({ media: 'print' });
    try {
      assert.equal(await heading.locator('button.sort').isVisible(), false);
      assert.equal(await heading.locator('.print-only').isVisible(), true);
      assert.equal((await heading.locator('.print-only').textContent()).trim(), 'Name');
      assert.equal(await page().locator('#contact-list td.row-actions').first().isVisible(), false);
    } finally {
      await page().emulateMedia({ media: 'screen' });
    }
    assert.equal(await heading.locator('button.sort').isVisible(), true);
  });

  step('rejects an unknown country and keeps the input', async () => {
    await page().locator('#edit-customer').click();
    await page().waitForURL((u) => u.pathname === `${state.customerPath}/edit`);
    const form = page().locator('form#customer-form');
    await form.waitFor();
    assert.equal((await form.getAttribute('method'))?.toLowerCase(), 'post');
    for (const field of ['name', 'country', 'wallet', 'currency']) {
      assert.equal(await page().locator(`#customer-form #${field}`).count(), 1, `the form has #${field}`);
    }
    const nameBefore = await page().locator('#name').inputValue();
    await page().locator('#country').fill('XX');
    const [resp] = await Promise.all([
      page().waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.startsWith(state.customerPath)),
      page().locator('#save').click(),
    ]);
    assert.equal(resp.status(), 422, `saving country XX answered ${resp.status()}, want 422`);
    await page().locator('#country-error').waitFor({ state: 'visible' });
    assert.ok(((await page().locator('#country-error').textContent()) ?? '').trim(), '#country-error says something');
    assert.ok(await page().locator('#country-error').evaluate((e) => e.classList.contains('field-error')));
    assert.equal(await page().locator('#country').inputValue(), 'XX', 'the bad country is kept');
    assert.equal(await page().locator('#name').inputValue(), nameBefore, 'the other fields are kept');
    // The summary above the form links to the field, named by its label.
    const link = page().locator('#form-error-links a');
    assert.equal(await link.count(), 1);
    assert.match(await link.textContent(), /^Country: /);
    await link.click();
    assert.equal(await page().evaluate(() => document.activeElement?.id), 'country');
  });

  step('the parent field offers customers by name as one types', async () => {
    const parent = page().locator('#parent_id');
    const before = await parent.inputValue();
    const typed = (await page().locator('#name').inputValue()).slice(0, 3);
    await parent.fill('');
    await parent.pressSequentially(typed, { delay: 30 });
    const options = page().locator('#parent-choices option');
    await options.first().waitFor({ state: 'attached' });
    const value = await options.first().getAttribute('value');
    const label = (await options.first().getAttribute('label')) ?? '';
    assert.match(value ?? '', /^\d+$/, 'a choice is offered by its customer number');
    const plain = (t) => t.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    assert.ok(plain(label).startsWith(plain(typed)), `"${label}" starts with "${typed}"`);
    await parent.fill(before);
  });

  step('saves a corrected form and shows the new name', async () => {
    await page().locator('#country').fill('FR');
    const name = await page().locator('#name').inputValue();
    state.editedName = `${name} (edited)`;
    await page().locator('#name').fill(state.editedName);
    await page().locator('#save').click();
    await page().waitForURL((u) => u.pathname === state.customerPath);
    await page().waitForLoadState('load');
    const h1 = await h1Text();
    assert.ok(h1.includes('(edited)'), `customer page h1 "${h1}" should contain "(edited)"`);
    assert.equal(h1, state.editedName);
  });

  step('adds a contract renewing next month and finds it among the renewals', async () => {
    await page().goto(url(state.customerPath));
    await page().locator('#new-contract').click();
    await page().waitForURL((u) => u.pathname === `${state.customerPath}/contracts/new`);
    const renews = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
    await page().locator('#title').fill('Browser supply agreement');
    await page().locator('#renews_on').fill(renews);
    await page().locator('#notice_days').fill('20');
    await page().locator('#annual_value').fill('12,500.00');
    await page().locator('#auto_renew').check();
    await page().locator('#save').click();
    await page().waitForURL((u) => u.pathname === state.customerPath);
    await page().locator('#notice').waitFor();
    const row = page().locator('#contract-list tr', { hasText: 'Browser supply agreement' });
    assert.equal(await row.count(), 1, 'the customer page lists the new contract');
    assert.match((await row.textContent()) ?? '', /12,500\.00/);
    await page().locator('nav a[href="/contracts"]').click();
    await page().waitForURL((u) => u.pathname === '/contracts');
    const listed = page().locator('#renewals tr', { hasText: 'Browser supply agreement' });
    assert.equal(await listed.count(), 1, 'the renewals list has it within 90 days');
    // 30 days left with 20 days of notice: decide within 10 days.
    assert.match((await listed.textContent()) ?? '', /To decide/);
  });

  step('exports the portfolio as CSV', async () => {
    await page().goto(url('/customers'));
    const link = page().locator('#export-csv');
    const href = await link.getAttribute('href');
    assert.ok(href, '#export-csv has an href');
    const exportUrl = new URL(href, page().url());
    assert.equal(exportUrl.pathname, '/customers.csv');
    // Fetched with the page's cookies (the signed-in session).
    const resp = await page().request.get(exportUrl.toString(), { timeout: TIMEOUT });
    assert.equal(resp.status(), 200, `GET ${exportUrl} answered ${resp.status()}`);
    const text = (await resp.text()).replace(/^\uFEFF/, '');
    const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
    assert.ok(lines[0].startsWith('id,name,'), `CSV header "${lines[0]}" should start with "id,name,"`);
    assert.ok(lines.length > 1, `the CSV has ${lines.length} line(s), want more than 1`);
    assert.ok(
      lines.some((l) => l.includes('(edited)')),
      'the CSV has the edited customer',
    );
  });

  step('fits the customer page and the list on a phone-sized screen', async () => {
    await page().setViewportSize({ width: 360, height: 740 });
    try {
      for (const path of [state.customerPath, '/customers', '/contracts']) {
        await page().goto(url(path));
        await page().waitForLoadState('load');
        // Nothing but wide tables (which scroll inside their own box) makes
        // the page wider than the screen.
        const width = await page().evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 360, `${path} is ${width} px wide on a 360 px screen`);
        // Those wide tables can be scrolled from the keyboard: each takes
        // the focus and is named.
        const unreachable = await page().evaluate(() =>
          [...document.querySelectorAll('.table-wrap')]
            .filter((el) => el.scrollWidth > el.clientWidth + 1)
            .filter((el) => el.tabIndex !== 0 || !el.getAttribute('aria-label')).length,
        );
        assert.equal(unreachable, 0, `${path}: a wide table cannot be scrolled from the keyboard`);
      }
      // The count of a table search that finds nothing wraps within the screen.
      await page().goto(url(state.customerPath));
      await page().locator('#contact-list-filter').fill('words-that-no-row-holds and-more-words-still');
      await page().locator('#contact-list-filter-count').filter({ hasText: 'No row' }).waitFor();
      const width = await page().evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `a search without a row makes the page ${width} px wide on a 360 px screen`);
    } finally {
      await page().setViewportSize({ width: 1280, height: 900 });
    }
  });

  step('takes a screenshot of the portfolio page', async () => {
    if (new URL(page().url()).pathname !== '/customers') await page().goto(url('/customers'));
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = join(SCREENSHOT_DIR, 'portfolio.png');
    await page().screenshot({ path, fullPage: true });
  });
});
