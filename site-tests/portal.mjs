// The portal in a real browser: Debian's chromium driven by playwright-core, the pages served
// by a tiny static server on 127.0.0.1 (axe-core reads stylesheets, which file:// forbids).
//
//   node site-tests/portal.mjs SITE_DIR
//
// Walks home → a project (kedro) → its benchmark dashboard → a parameterised benchmark's
// interactive chart (changes a parameter, hovers a point, reads the tooltip, drags to zoom
// and double-clicks back) → a regression's commit link (checks the GitHub URL, does not leave the site); then a health page, the
// wheels page and the search. Fails on any console error or page error, and on any serious
// or critical axe-core violation on home, a project page and a benchmark page. Prints a
// short summary; exits non-zero on failure.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const site = process.argv[2];
if (!site) {
  console.error('usage: node site-tests/portal.mjs SITE_DIR');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const axePath = path.join(here, 'node_modules', 'axe-core', 'axe.min.js');
const root = path.resolve(site);
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.atom': 'application/atom+xml', '.xml': 'application/xml' };
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
const url = (relative) => `${origin}/${relative}`;

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
  // Nothing leaves the machine: only the local server's pages load.
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

  // Home, then a click to the project.
  await page.goto(url('index.html'));
  const tiles = await page.locator('article.tile').count();
  if (tiles < 3) fail(`home shows ${tiles} tiles`);
  step(`home: ${tiles} tiles`);
  await axe('home');
  await Promise.all([page.waitForURL(/projects\/kedro\/index\.html$/),
    page.locator('article.tile h3 a', { hasText: 'kedro' }).click()]);
  step('clicked to kedro');
  await axe('project page (kedro)');

  // The project's regressions link to their commits on GitHub.
  const commit = /^https:\/\/github\.com\/kedro-org\/kedro\/commit\/[0-9a-f]{40}$/;
  const projectCommits = await page.locator('#benchmarks table a[href*="/commit/"]')
    .evaluateAll((as) => as.map((a) => a.href));
  if (projectCommits.length === 0 || !projectCommits.every((h) => commit.test(h))) {
    fail(`project page regression commit links: ${JSON.stringify(projectCommits.slice(0, 3))}`);
  }

  // To the benchmark dashboard, then to a parameterised benchmark's chart.
  await Promise.all([page.waitForURL(/bench\/index\.html$/),
    page.locator('#benchmarks a[href="bench/index.html"]').click()]);
  const name = 'benchmark_runner.RunnerTimeSuite.time_compute_bound_runner';
  await Promise.all([page.waitForURL(/benchmark_runner\.html/),
    page.locator(`a[href$="#${name}"]`).first().click()]);
  step('clicked to the benchmark chart');
  const chart = page.locator(`.interactive[data-benchmark="${name}"]`);
  await chart.locator('.u-over').waitFor({ timeout: 10000 });
  const select = chart.locator('select.param').first();
  const options = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
  if (options.length < 2) fail(`parameter select has ${options.length} options`);
  await select.selectOption(options[1]);
  await chart.locator('.u-over').waitFor();
  step(`changed ${await select.getAttribute('data-key')} to ${options[1]}`);

  // Hover over the plot until the tooltip says a value, a commit and a date.
  const box = await chart.locator('.u-over').boundingBox();
  let tip = '';
  for (let f = 0.5; f < 1 && !tip; f += 0.05) {
    await page.mouse.move(box.x + box.width * f, box.y + box.height / 2);
    const tooltip = chart.locator('.tooltip');
    if (await tooltip.isVisible()) tip = await tooltip.textContent();
  }
  if (!/\d.*(s|B)\b.*commit [0-9a-f]{8}.*\d{4}-\d\d-\d\d/.test(tip)) fail(`tooltip says "${tip}"`);
  step(`hover: "${tip}"`);

  // Drag across a fifth of the plot: the x axis zooms to the selection, so the point under
  // the same spot near the right edge is another one; a double click shows everything again.
  const tipNear = async (f) => {
    for (let g = f; g > f - 0.2; g -= 0.01) {
      await page.mouse.move(box.x + box.width * g, box.y + box.height / 2);
      const tooltip = chart.locator('.tooltip');
      if (await tooltip.isVisible()) return await tooltip.textContent();
    }
    return '';
  };
  const unzoomed = await tipNear(0.95);
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  const zoomed = await tipNear(0.95);
  if (!unzoomed || !zoomed || zoomed === unzoomed) {
    fail(`drag-to-zoom: near the right edge "${unzoomed}" before, "${zoomed}" after`);
  }
  await page.mouse.dblclick(box.x + box.width * 0.4, box.y + box.height / 2);
  const reset = await tipNear(0.95);
  if (reset !== unzoomed) fail(`a double click did not undo the zoom: "${reset}" vs "${unzoomed}"`);
  step(`drag-to-zoom: near the right edge "${unzoomed}", zoomed "${zoomed}", double click back`);
  const logscale = chart.locator('input.logscale');
  if (await logscale.isEnabled()) await logscale.check();
  await chart.locator('select.xorder').selectOption('commits');
  await chart.locator('.u-over').waitFor();
  await axe('benchmark page');

  // Back to the dashboard: a regression's commit link.
  await Promise.all([page.waitForURL(/bench\/index\.html$/), page.goBack()]);
  const hrefs = await page.locator('table a[href*="/commit/"]').evaluateAll((as) => as.map((a) => a.href));
  if (hrefs.length === 0 || !hrefs.every((h) => commit.test(h))) {
    fail(`dashboard regression commit links: ${JSON.stringify(hrefs.slice(0, 3))}`);
  }
  step(`${hrefs.length} regression commit links go to GitHub commits`);

  // A health page and the wheels page, through the site's links.
  await page.goto(url('index.html'));
  await Promise.all([page.waitForURL(/projects\/scipy\/health\.html$/),
    page.locator('article.tile', { hasText: 'scipy' }).locator('a[href$="health.html"]').click()]);
  const healthCharts = await page.locator('svg.chart').count();
  if (healthCharts < 3) fail(`scipy health page has ${healthCharts} charts`);
  step(`scipy health: ${healthCharts} charts`);
  await Promise.all([page.waitForURL(/\/wheels\.html$/),
    page.locator('nav.site-nav a', { hasText: 'Wheels' }).click()]);
  const wheelTables = await page.locator('table').count();
  if (wheelTables < 1) fail('wheels page has no table');
  step(`wheels: ${wheelTables} tables`);

  // The search finds a project.
  await Promise.all([page.waitForURL(/search\.html$/),
    page.locator('nav.site-nav a', { hasText: 'Search' }).click()]);
  await page.locator('#search-input').fill('kedro regressions');
  const results = await page.locator('#search-results li').count();
  if (results === 0) fail('search for "kedro regressions" finds nothing');
  step(`search: ${results} results`);
} catch (error) {
  fail(`the walk stopped: ${error.message.split('\n')[0]}`);
} finally {
  await browser.close();
  server.close();
}

for (const line of done) console.log(`ok   ${line}`);
for (const line of failures) console.log(`FAIL ${line}`);
console.log(failures.length === 0 ? 'portal browser test: passed' : `portal browser test: ${failures.length} failures`);
process.exit(failures.length === 0 ? 0 : 1);
