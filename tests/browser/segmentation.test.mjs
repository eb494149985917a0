// End-to-end test of the segmentation what-if and of the key-account
// selection workflow in a real browser (see lib.mjs). Run it alone with:
//   CLEF_URL=http://127.0.0.1:8080 node --test tests/browser/segmentation.test.mjs

import assert from 'node:assert/strict';
import { poll, scenario, signIn, url } from './lib.mjs';

const DIRECTOR = 'director@clef.example';

scenario('Segmentation what-if and key-account selection in a browser', 'segmentation', (step, s) => {
  const page = () => s.page;
  const state = { segPath: '', selPath: '' };

  /** The numbers shown in the matrix cells and the ABC table. */
  async function results() {
    return page().evaluate(() => ({
      cells: [...document.querySelectorAll('#matrix .cell-count')].map((e) => e.textContent.trim()).join('|'),
      classA: document.querySelector('#abc-classes tbody tr td:nth-child(2)')?.textContent.trim(),
      ms: document.querySelector('#compute-ms')?.textContent.trim(),
    }));
  }

  /** Changes a form control as a person would and waits for htmx's swap. */
  async function change(selector, value) {
    await page().evaluate(
      ([sel, v]) =>
        new Promise((resolve) => {
          document.body.addEventListener('htmx:afterSettle', () => resolve(), { once: true });
          const el = document.querySelector(sel);
          el.value = v;
          el.dispatchEvent(new Event('input', { bubbles: true }));
          el.dispatchEvent(new Event('change', { bubbles: true }));
        }),
      [selector, value],
    );
  }

  step('signs in as the program director', async () => {
    await signIn(page(), DIRECTOR);
    if ((await page().locator('html').getAttribute('lang')) !== 'en') {
      await page().locator('a[hreflang="en"]').first().click();
      await page().locator('html[lang="en"]').waitFor({ state: 'attached' });
    }
  });

  step('creates a segmentation and sees its matrix', async () => {
    await page().goto(url('/segmentations'));
    await page().locator('#new-segmentation #name').fill(`Whole company ${Date.now()}`);
    await page().locator('#create-segmentation').click();
    await page().waitForURL((u) => /^\/segmentations\/\d+$/.test(u.pathname));
    state.segPath = new URL(page().url()).pathname;
    await page().locator('#matrix').waitFor();
    const r = await results();
    assert.ok(r.cells.split('|').length === 9, `a 3×3 matrix, got ${r.cells}`);
    assert.ok(r.classA && r.classA !== '0', `class A has customers: ${r.classA}`);
  });

  step('moves weights and cut-offs and sees the results change without a reload', async () => {
    await page().evaluate(() => {
      window.__notReloaded = true;
    });
    const before = await results();
    await change('#abc_a', '50');
    const afterCut = await results();
    const n = (t) => Number(String(t).replace(/\D/g, ''));
    assert.ok(n(afterCut.classA) < n(before.classA), `class A shrinks with a 50 % cut-off: ${before.classA} → ${afterCut.classA}`);
    await change('#growth_weight', '-100');
    await change('#potential_weight', '0');
    const afterWeights = await results();
    assert.notEqual(afterWeights.cells, afterCut.cells, 'the matrix follows the weights');
    assert.ok(await page().locator('#movers-count').isVisible(), 'the customers who would move are listed');
    assert.equal(await page().evaluate(() => window.__notReloaded), true, 'the page was not reloaded');
  });

  step('names settings that cannot be computed', async () => {
    await change('#abc_b', '10');
    await page().locator('#whatif-errors').waitFor();
    // The setting is named as the form labels it, not by its field name.
    const said = (await page().locator('#whatif-errors').textContent()) ?? '';
    assert.match(said, /Classe? B/);
    assert.doesNotMatch(said, /abc_b/);
    await change('#abc_b', '95');
    await page().locator('#matrix').waitFor();
  });

  step('saves the settings and applies them after confirming', async () => {
    await page().locator('#save').click();
    await page().waitForURL((u) => u.pathname === state.segPath && u.searchParams.get('saved') === '1');
    assert.equal(await page().locator('#abc_a').inputValue(), '50', 'the saved cut-off is shown');
    await page().locator('#apply').click();
    await page().waitForURL((u) => u.pathname === `${state.segPath}/apply`);
    assert.ok(((await page().locator('#tier-changes').textContent()) ?? '').trim());
    await page().locator('#confirm-apply').click();
    await page().waitForURL((u) => u.pathname === state.segPath);
    await page().locator('#snapshot-list tbody tr').first().waitFor();
    assert.equal(await page().locator('#snapshot-list tbody tr').count(), 1);
  });

  step('scores a candidate on the grid with evidence', async () => {
    await page().goto(url('/selection'));
    // The first candidate with no proposal waiting (the demo has one).
    const first = page()
      .locator('#candidates tbody tr')
      .filter({ hasNot: page().locator('.pending') })
      .locator('a')
      .first();
    await first.waitFor();
    await first.click();
    await page().waitForURL((u) => /^\/customers\/\d+\/selection$/.test(u.pathname));
    state.selPath = new URL(page().url()).pathname;
    const selects = page().locator('#grid-scores select');
    const count = await selects.count();
    assert.ok(count >= 6, `the grid has the practice's criteria, got ${count}`);
    for (let i = 0; i < count; i++) await selects.nth(i).selectOption(String(5 - (i % 3)));
    await page().locator('#grid-scores textarea').first().fill('Chosen as reference by its industry association');
    await page().locator('#save-scores').click();
    await page().waitForURL((u) => u.pathname === state.selPath);
    const score = ((await page().locator('#grid-score').textContent()) ?? '').trim();
    assert.match(score, /^[1-5]\.\d\d$/, `a weighted score, got "${score}"`);
  });

  step('refuses a proposal without a reason, keeping the choices', async () => {
    const manager = page().locator('#manager_id option[value]:not([value=""])').first();
    const managerId = await manager.getAttribute('value');
    await page().locator('#manager_id').selectOption(managerId);
    await page().locator('#reason').fill('   ');
    await page().locator('#propose').click();
    await page().locator('#reason-error').waitFor();
    assert.equal(await page().locator('#manager_id').inputValue(), managerId, 'the manager chosen is kept');
  });

  step('proposes, then approves the key account', async () => {
    await page().locator('#reason').fill('Double fit and a reference that opens the pharma segment');
    await page().locator('#propose').click();
    await page().locator('#pending').waitFor();
    // The manager may already be at capacity: the director then gives a reason.
    await page().locator('#override_reason').fill('Interim while the new KAM is recruited');
    await page().locator('#approve').click();
    await poll('the key account status', async () =>
      ((await page().locator('#selection-status').textContent()) ?? '').includes('Key account'),
    );
    const steps = await page().locator('#selection-history tbody tr td:nth-child(2)').allTextContents();
    assert.deepEqual(steps.slice(-2), ['Proposed', 'Approved']);
  });

  step('deselects with a reason, recorded in the history', async () => {
    await page().locator('#deselect').click();
    await page().locator('#deselect_reason-error').waitFor();
    await page().locator('#deselect_reason').fill('Its purchasing moved to another continent');
    await page().locator('#deselect').click();
    // Asked once more, with the reason.
    await page().locator('#confirm-what').waitFor();
    assert.match((await page().locator('main').textContent()) ?? '', /Its purchasing moved to another continent/);
    await page().locator('#confirm-delete').click();
    await poll('the deselected status', async () =>
      ((await page().locator('#selection-status').textContent()) ?? '').includes('Deselected'),
    );
    const last = page().locator('#selection-history tbody tr').last();
    assert.match((await last.textContent()) ?? '', /Its purchasing moved/);
  });

  step('shows each manager\'s load on the program page', async () => {
    await page().goto(url('/program'));
    await page().locator('#loads tbody tr').first().waitFor();
    assert.ok((await page().locator('#loads tbody tr').count()) >= 1);
    // The decisions just taken come first, before the demo's own.
    const recent = await page().locator('#recent tbody tr td:nth-child(5)').allTextContents();
    assert.deepEqual(recent.slice(0, 3).map((r) => r.trim()), [
      'Its purchasing moved to another continent',
      '',
      'Double fit and a reference that opens the pharma segment',
    ]);
  });
});
