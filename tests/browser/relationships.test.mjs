// End-to-end test of relationships in a real browser (see lib.mjs): add a
// stakeholder, link a colleague, and see the coverage warning disappear.
// Run it alone with:
//   CLEF_URL=http://127.0.0.1:8080 node --test tests/browser/relationships.test.mjs

import assert from 'node:assert/strict';
import { poll, scenario, signIn, url } from './lib.mjs';

const DIRECTOR = 'director@clef.example';

scenario('A stakeholder, a colleague linked to them, and the coverage warning gone', 'relationships', (step, s) => {
  const page = () => s.page;
  const stamp = Date.now().toString(36);
  const colleague = `Agathe Test-${stamp}`;
  const last = `Stakeholder-${stamp}`;
  const state = { customer: '', contactName: `Nora ${last}` };

  /** The coverage warnings about our new stakeholder, as shown. */
  async function warningsAboutThem() {
    const items = await page().locator('#coverage-warnings li').allTextContents();
    return items.filter((t) => t.includes(last)).join(' | ');
  }

  step('signs in and adds a colleague who does not use Clef', async () => {
    await signIn(page(), DIRECTOR);
    if ((await page().locator('html').getAttribute('lang')) !== 'en') {
      await page().locator('a[hreflang="en"]').first().click();
      await page().locator('html[lang="en"]').waitFor({ state: 'attached' });
    }
    await page().goto(url('/colleagues'));
    await page().locator('#colleague-form #name').fill(colleague);
    await page().locator('#colleague-form #function').fill('Quality engineer');
    await page().locator('#add-colleague').click();
    await page().locator('#colleagues td', { hasText: colleague }).waitFor();
  });

  step('adds a stakeholder to a key account: a decision maker of influence 5', async () => {
    await page().goto(url('/customers?status=key_account'));
    await page().locator('table tbody tr td a').first().click();
    await page().waitForURL((u) => /^\/customers\/\d+$/.test(u.pathname));
    state.customer = new URL(page().url()).pathname;
    await page().goto(url(`${state.customer}/contacts/new`));
    await page().locator('#contact-form [name="first_name"]').fill('Nora');
    await page().locator('#contact-form [name="last_name"]').fill(last);
    await page().locator('#contact-form [name="job_title"]').fill('Chief Procurement Officer');
    await page().locator('#save').click();
    await page().waitForURL((u) => u.pathname === state.customer);
    await page().locator('#relationships-link').click();
    await page().waitForURL((u) => u.pathname === `${state.customer}/relationships`);
    await page().locator('#stakeholder-table tr', { hasText: last }).getByRole('link', { name: /Edit/ }).click();
    await page().locator('#buying_role').selectOption('decision_maker');
    await page().locator('#level').selectOption('executive');
    await page().locator('#attitude').selectOption('neutral');
    await page().locator('#influence').selectOption('5');
    await page().locator('#save-stakeholder').click();
    await page().waitForURL((u) => u.pathname === `${state.customer}/relationships`);
    const w = await warningsAboutThem();
    assert.match(w, /Influential, no strong link/, `a coverage warning for the new decision maker, got "${w}"`);
    assert.match(w, /Not met lately/);
  });

  step('sorts the stakeholders by influence, the strongest first, in the page', async () => {
    const table = page().locator('#stakeholder-table');
    const heading = table.locator('thead th', { hasText: 'Influence' });
    await heading.getByRole('button').click();
    assert.equal(await heading.getAttribute('aria-sort'), 'ascending');
    await heading.getByRole('button').click();
    assert.equal(await heading.getAttribute('aria-sort'), 'descending');
    const names = await table.locator('thead th').allTextContents();
    const col = names.findIndex((n) => n.includes('Influence'));
    const values = await table.locator(`tbody tr td:nth-child(${col + 1})`).allTextContents();
    const given = values.map((v) => v.trim()).filter((v) => v !== '');
    assert.equal(given[0], '5', `the strongest first, got ${values.join(',')}`);
    for (let i = 1; i < given.length; i += 1) {
      assert.ok(Number(given[i - 1]) >= Number(given[i]), `in order: ${values.join(',')}`);
    }
    // People without an influence come last.
    assert.deepEqual(values.map((v) => v.trim()).slice(0, given.length), given);
  });

  step('finds them in the table by a word of their name, accents and case aside', async () => {
    const table = page().locator('#stakeholder-table');
    const all = await table.locator('tbody tr').count();
    const filter = page().locator('#stakeholder-table-filter');
    assert.equal(await page().getByLabel('Find in this table').first().getAttribute('id'), 'stakeholder-table-filter');
    await filter.fill(`NÓRA ${last.toLowerCase()}`);
    assert.equal(await table.locator('tbody tr:visible').count(), 1);
    assert.match(await table.locator('tbody tr:visible').textContent(), new RegExp(last));
    assert.equal(await page().locator('#stakeholder-table-filter-count').textContent(), `Rows shown: 1 of ${all}`);
    await filter.fill('nobody-holds-this');
    assert.equal(await table.locator('tbody tr:visible').count(), 0);
    assert.equal(await page().locator('#stakeholder-table-filter-count').textContent(), `No row holds these words. Rows shown: 0 of ${all}`);
    await filter.fill('');
    assert.equal(await table.locator('tbody tr:visible').count(), all);
  });

  step('links the colleague to them and records a meeting: the warning disappears', async () => {
    const form = page().locator('#link-form');
    await form.locator('#link-contact').selectOption({ label: state.contactName });
    await form.locator('#link-who').selectOption({ label: `${colleague} (colleague)` });
    await form.locator('#link-strength').selectOption('4');
    await form.locator('#add-link').click();
    await page().locator('#links-table tr', { hasText: colleague }).waitFor();
    let w = await warningsAboutThem();
    assert.doesNotMatch(w, /Influential, no strong link/, `the strong link covers them, got "${w}"`);

    const i = page().locator('#interaction-form');
    const today = new Date().toISOString().slice(0, 10);
    await i.locator('#i-date').fill(today);
    await i.locator('#i-subject').fill('Quality workshop');
    await i.locator('#i-contacts').selectOption({ label: state.contactName });
    await i.locator('#i-ours').selectOption({ label: `${colleague} (colleague)` });
    await i.locator('#record-interaction').click();
    await page().locator('#interactions-table tr', { hasText: 'Quality workshop' }).waitFor();
    w = await warningsAboutThem();
    assert.equal(w, '', `no warning left about them, got "${w}"`);
    const row = page().locator('#links-table tr', { hasText: colleague });
    const [y, m, d] = today.split('-');
    assert.match(await row.textContent(), new RegExp(`${y}-${m}-${d}`), 'the link shows the meeting as its last interaction');
  });

  step('the map shows them with their role, attitude, influence and our link', async () => {
    const node = page().locator('#stakeholder-map g.person', { hasText: last });
    await node.waitFor();
    assert.match(await node.textContent(), /Decision maker · Neutral · ●●●●●/);
    assert.match(await node.textContent(), new RegExp(`↔ A\\. Test-${stamp} 4`));
  });

  step('removes the interaction from its row once the person confirms', async () => {
    const row = () => page().locator('#interactions-table tr', { hasText: 'Quality workshop' });
    // Dismissed: nothing is removed.
    page().once('dialog', (d) => d.dismiss());
    await row().locator('button', { hasText: 'Remove' }).click();
    await page().waitForTimeout(300);
    assert.equal(await row().count(), 1, 'a dismissed confirmation keeps the row');
    // Accepted: the row goes, without a confirmation page.
    page().once('dialog', (d) => d.accept());
    await row().locator('button', { hasText: 'Remove' }).click();
    await poll('the interaction removed', async () => (await row().count()) === 0);
    assert.match(new URL(page().url()).pathname, /\/relationships$/);
  });
});
