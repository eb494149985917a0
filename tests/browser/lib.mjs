// The browser tests' shared harness: one headless Chromium page per
// scenario, steps that run in order (once a step fails, the following ones
// are skipped and a screenshot of the failing page is written to
// tests/browser/screenshots/failure-*.png).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.CLEF_URL ?? '').replace(/\/+$/, '');
const EXECUTABLE_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const TIMEOUT = 30_000;
const STEP_TIMEOUT = 90_000;
export const PASSWORD = 'clef-demo-2026';
export const SCREENSHOT_DIR = fileURLToPath(new URL('./screenshots/', import.meta.url));

/** Lower case, without accents, for lenient comparisons. */
export function fold(s) {
  return (s ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

export function url(path) {
  return new URL(path, `${BASE_URL}/`).toString();
}

/** Polls `fn` until it returns a truthy value; errors thrown meanwhile
 * (for instance while the page navigates) count as "not yet". */
export async function poll(what, fn, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}` + (lastError ? ` (last error: ${lastError.message})` : ''));
}

/** A scenario: `body(step, s)` declares its steps; `s.page` is the page. */
export function scenario(title, prefix, body) {
  describe(title, { concurrency: false }, () => {
    const s = { browser: null, context: null, page: null, failed: false };

    before(async () => {
      // launch() gives Chromium a fresh temporary profile and removes it on close.
      assert.ok(BASE_URL, 'CLEF_URL must point at a running clef server, e.g. http://127.0.0.1:8080');
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      for (const f of readdirSync(SCREENSHOT_DIR)) {
        if (f.startsWith(`failure-${prefix}-`)) rmSync(join(SCREENSHOT_DIR, f), { force: true });
      }
      s.browser = await chromium.launch({
        executablePath: EXECUTABLE_PATH,
        headless: true,
        timeout: 60_000,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
      s.context = await s.browser.newContext({
        acceptDownloads: true,
        viewport: { width: 1280, height: 900 },
        locale: 'en-US',
      });
      s.context.setDefaultTimeout(TIMEOUT);
      s.context.setDefaultNavigationTimeout(TIMEOUT);
      s.page = await s.context.newPage();
      s.page.on('pageerror', (err) => console.error(`[browser page error] ${err.message}`));
    });

    after(async () => {
      await s.browser?.close().catch(() => {});
    });

    /** One step of the scenario: skipped once an earlier step failed. */
    function step(name, fn) {
      it(name, { timeout: STEP_TIMEOUT }, async (t) => {
        if (s.failed) {
          t.skip('an earlier step failed');
          return;
        }
        try {
          await fn(t);
        } catch (e) {
          s.failed = true;
          const page = s.page;
          if (page) {
            const slug = name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
            try {
              mkdirSync(SCREENSHOT_DIR, { recursive: true });
              await page.screenshot({ path: join(SCREENSHOT_DIR, `failure-${prefix}-${slug}.png`), fullPage: true, timeout: 10_000 });
            } catch {
              // the screenshot is only a help
            }
            let text = '';
            try {
              text = ((await page.locator('body').innerText({ timeout: 5_000 })) ?? '').slice(0, 1500);
            } catch {
              // idem
            }
            t.diagnostic(`page at failure: ${page.url()}`);
            if (text) t.diagnostic(`page text: ${text.replace(/\s+/g, ' ')}`);
          }
          throw e;
        }
      });
    }

    body(step, s);
  });
}

/** Signs in as `email` and waits for the portfolio. */
export async function signIn(page, email) {
  const resp = await page.goto(url('/login'));
  assert.ok(resp && resp.ok(), `GET /login answered ${resp?.status()}`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  assert.equal(await page.locator('#password').getAttribute('type'), 'password');
  await page.locator('#sign-in').click();
  await page.waitForURL((u) => u.pathname === '/customers', { timeout: TIMEOUT });
  await page.waitForLoadState('load');
}
