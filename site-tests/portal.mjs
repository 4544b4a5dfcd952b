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

import { startWalk } from './walk.mjs';

const { page, url, fail, step, axe, finish } = await startWalk('portal');

try {
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
}
await finish();
