// numpy.mean's page of `agora docs build` in a real browser: Debian's chromium driven by
// playwright-core, the site served by a tiny static server on 127.0.0.1.
//
//   node site-tests/docs.mjs SITE_DIR
//
// Checks the signature, the parameter table, MathML math (rendered: the <math> element has a
// size; on numpy.hanning's page, as numpy.mean's docstring has no formula), the highlighted
// example, then follows a See Also link and checks that it lands on
// the target's page. Fails on any console error or page error. Exits non-zero on failure.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const site = process.argv[2];
if (!site) {
  console.error('usage: node site-tests/docs.mjs SITE_DIR');
  process.exit(2);
}
const root = path.resolve(site);
const server = http.createServer((request, response) => {
  const wanted = decodeURIComponent(new URL(request.url, 'http://127.0.0.1').pathname);
  const file = path.join(root, wanted.endsWith('/') ? `${wanted}index.html` : wanted);
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    response.writeHead(404).end('not found');
    return;
  }
  const type = file.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/octet-stream';
  response.writeHead(200, { 'content-type': type });
  fs.createReadStream(file).pipe(response);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const failures = [];
const done = [];
const fail = (what) => failures.push(what);
const step = (what) => done.push(what);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route((u) => u.origin !== origin, (route) => route.abort());
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') fail(`console error on ${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (error) => fail(`page error on ${page.url()}: ${error.message}`));

  await page.goto(`${origin}/api/numpy.mean.html`);
  const signature = (await page.locator('dl.sig > dt').first().innerText()).replace(/\s+/g, ' ');
  if (!signature.includes('numpy.mean(a, axis=None')) fail(`signature: ${signature}`);
  step(`signature: ${signature}`);

  const rows = await page.locator('#parameters table.params tr').count();
  const firstParameter = rows > 0 ? await page.locator('#parameters table.params tr th').first().innerText() : '';
  if (rows < 5 || !firstParameter.startsWith('a')) fail(`parameter table: ${rows} rows, first ${firstParameter}`);
  step(`parameter table: ${rows} rows`);

  // numpy.mean's docstring has no formula: the math is checked on numpy.hanning's page
  // (a `.. math::` block), then the walk goes back to numpy.mean.
  await page.goto(`${origin}/api/numpy.hanning.html`);
  const math = page.locator('math').first();
  const box = (await page.locator('math').count()) > 0 ? await math.boundingBox() : null;
  if (!box || box.width < 10 || box.height < 5) fail(`math not rendered: ${JSON.stringify(box)}`);
  step(`math: ${await page.locator('math').count()} MathML formulas, first ${Math.round(box?.width ?? 0)}×${Math.round(box?.height ?? 0)} px`);

  await page.goto(`${origin}/api/numpy.mean.html`);
  const prompts = await page.locator('#examples pre.doctest span.gp').count();
  const color = prompts > 0 ? await page.locator('#examples pre.doctest span.gp').first().evaluate((e) => getComputedStyle(e).color) : '';
  const plain = prompts > 0 ? await page.locator('#examples pre.doctest').first().evaluate((e) => getComputedStyle(e).color) : '';
  if (prompts === 0 || color === plain) fail(`example not highlighted: ${prompts} prompts, colours ${color} / ${plain}`);
  step(`examples: ${prompts} highlighted prompts`);

  const link = page.locator('#see-also a.reference').first();
  const target = await link.innerText();
  await Promise.all([page.waitForURL(/\/api\/numpy\.[a-z_.]+\.html$/), link.click()]);
  const heading = await page.locator('h1').innerText();
  if (!heading.endsWith(target)) fail(`See Also ${target} led to ${page.url()} (${heading})`);
  step(`See Also ${target} → ${heading}`);
} catch (error) {
  fail(`the walk stopped: ${error.message.split('\n')[0]}`);
} finally {
  await browser.close();
  server.close();
}

for (const line of done) console.log(`ok   ${line}`);
for (const line of failures) console.log(`FAIL ${line}`);
console.log(failures.length === 0 ? 'docs browser test: passed' : `docs browser test: ${failures.length} failures`);
process.exit(failures.length === 0 ? 0 : 1);
