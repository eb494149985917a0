// The end-to-end latency of a segmentation what-if as the browser sees it:
// from a weight slider's input event to the new results on screen (htmx
// request, server computation, HTML swap). Not a test: scripts/bench-segmentation
// runs it against a running Clef.
//
//   CLEF_URL=http://127.0.0.1:18081 node tests/browser/bench-whatif.mjs SEGMENTATION_ID [RUNS]
import { chromium } from 'playwright-core';

const base = (process.env.CLEF_URL ?? '').replace(/\/+$/, '');
const id = process.argv[2];
const runs = Number(process.argv[3] ?? 21);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${base}/login`);
  await page.fill('#email', 'admin@clef.example');
  await page.fill('#password', 'clef-demo-2026');
  await Promise.all([page.waitForURL(/\/customers/), page.click('button[type=submit]')]);
  await page.goto(`${base}/segmentations/${id}`, { timeout: 120_000 });
  await page.waitForSelector('#matrix', { timeout: 120_000 });
  const samples = [];
  for (let i = 0; i < runs + 1; i++) {
    const ms = await page.evaluate(async (k) => {
      const slider = document.getElementById('growth_weight');
      const done = new Promise((resolve) => {
        document.body.addEventListener('htmx:afterSettle', () => resolve(performance.now()), { once: true });
      });
      const t0 = performance.now();
      slider.value = String(10 + (k % 8) * 5);
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      const t1 = await done;
      // The results really are on screen.
      if (!document.querySelector('#results #matrix')) throw new Error('no matrix after the what-if');
      return t1 - t0;
    }, i);
    if (i > 0) samples.push(ms); // the first one warms the page up
  }
  samples.sort((a, b) => a - b);
  const q = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
  console.log(JSON.stringify({ runs: samples.length, median_ms: q(0.5), p95_ms: q(0.95), min_ms: samples[0], samples }));
} finally {
  await browser.close();
}
