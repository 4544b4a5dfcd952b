// The practices manual in a real browser: Debian's chromium driven by playwright-core, the
// pages served by a tiny static server on 127.0.0.1.
//
//   node site-tests/manual.mjs SITE_DIR
//
// From scipy's page, follows a failing check's "in the manual" link to the check's manual
// page, finds scipy among the failing projects there, and follows that link back to scipy's
// page (its review section); then opens the manual's index through the site navigation, the
// community hub and an event page. Fails on any console or page error and on any serious or
// critical axe-core violation on the manual's pages and the community hub. Prints a short
// summary; exits non-zero on failure.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const site = process.argv[2];
if (!site) {
  console.error('usage: node site-tests/manual.mjs SITE_DIR');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const axePath = path.join(here, 'node_modules', 'axe-core', 'axe.min.js');
const root = path.resolve(site);
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.atom': 'application/atom+xml', '.ics': 'text/calendar' };
const server = http.createServer((request, response) => {
  const wanted = decodeURIComponent(new URL(request.url, 'http://127.0.0.1').pathname);
  const file = path.join(root, wanted.endsWith('/') ? `${wanted}index.html` : wanted);
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    response.writeHead(404).end('not found');
    return;
  }
  response.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
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

  async function axe(label) {
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      await axe.run(document, { resultTypes: ['violations'] }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    for (const v of bad) {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ');
      fail(`axe ${v.impact} on ${label}: ${v.id} (${v.help}) at ${where}`);
    }
    step(`axe on ${label}: ${result.violations.length} violations, ${bad.length} serious or critical`);
  }

  // scipy's page: its failing checks, each with a link to the manual.
  await page.goto(`${origin}/projects/scipy/index.html`);
  const manualLinks = page.locator('#review a[href^="../../manual/"]');
  const count = await manualLinks.count();
  if (count === 0) throw new Error('scipy\'s page links no failing check to the manual');
  const first = manualLinks.first();
  const code = (await first.getAttribute('href')).match(/manual\/([A-Z]+[0-9]+)\.html$/)[1];
  await Promise.all([page.waitForURL(new RegExp(`manual/${code}\\.html$`)), first.click()]);
  const heading = await page.locator('h1').textContent();
  if (!heading.startsWith(`${code}:`)) fail(`the manual page's heading is "${heading}"`);
  step(`scipy's page (${count} failing checks) → ${heading}`);
  const comply = await page.locator('#comply').textContent();
  if (!/\S/.test(comply.replace('How to comply', ''))) fail(`${code}: "How to comply" is empty`);
  await axe(`manual page ${code}`);

  // The check's page lists scipy as failing, and links back to its page.
  const row = page.locator('#projects tr', { has: page.locator('a', { hasText: /^scipy$/ }) });
  const result = (await row.locator('td').nth(1).textContent()).trim();
  if (result !== 'fail') fail(`${code} says scipy's result is "${result}"`);
  await Promise.all([page.waitForURL(/projects\/scipy\/index\.html#review$/),
    row.locator('a', { hasText: /^scipy$/ }).click()]);
  const back = await page.locator('#review h2').textContent();
  if (back !== 'Best practices') fail(`back on scipy's page, the review section says "${back}"`);
  step(`${code}: scipy fails it; back to scipy's review section`);

  // The manual's index by topic, from the site navigation.
  await Promise.all([page.waitForURL(/manual\/index\.html$/),
    page.locator('nav.site-nav a', { hasText: 'Manual' }).click()]);
  const topics = await page.locator('main section h2').count();
  const checks = await page.locator('main table a[href$=".html"]').count();
  if (topics < 5 || checks < 70) fail(`the manual's index: ${topics} topics, ${checks} checks`);
  step(`manual index: ${topics} topics, ${checks} checks`);
  await axe('manual index');

  // The community hub, and an event's page from it.
  await Promise.all([page.waitForURL(/community\/index\.html$/),
    page.locator('nav.site-nav a', { hasText: 'Community' }).click()]);
  await axe('community hub');
  await Promise.all([page.waitForURL(/community\/events\.html$/),
    page.locator('main a[href="events.html"]').click()]);
  const events = await page.locator('main table a[href^="events/"]').count();
  if (events < 2) fail(`the events page lists ${events} events`);
  await Promise.all([page.waitForURL(/community\/events\/.+\.html$/),
    page.locator('main table a[href^="events/"]').first().click()]);
  step(`events: ${events}; opened "${await page.locator('h1').textContent()}"`);
  await axe('event page');
} catch (error) {
  fail(`the walk stopped: ${error.message.split('\n')[0]}`);
} finally {
  await browser.close();
  server.close();
}

for (const line of done) console.log(`ok   ${line}`);
for (const line of failures) console.log(`FAIL ${line}`);
console.log(failures.length === 0 ? 'manual browser test: passed' : `manual browser test: ${failures.length} failures`);
process.exit(failures.length === 0 ? 0 : 1);
