// numpy.mean's page of `agora docs build` in a real browser (the shared walk of walk.mjs:
// a static server on 127.0.0.1, Debian's chromium, console and page errors as failures).
//
//   node site-tests/docs.mjs SITE_DIR
//
// Checks the signature, the parameter table, MathML math (rendered: the <math> element has a
// size; on numpy.hanning's page, as numpy.mean's docstring has no formula), the highlighted
// example, then follows a See Also link and checks that it lands on
// the target's page. Exits non-zero on failure.

import { startWalk } from './walk.mjs';

const walk = await startWalk('docs');
const { page } = walk;
try {
  await page.goto(`${walk.origin}/api/numpy.mean.html`);
  const signature = (await page.locator('dl.sig > dt').first().innerText()).replace(/\s+/g, ' ');
  if (!signature.includes('numpy.mean(a, axis=None')) walk.fail(`signature: ${signature}`);
  walk.step(`signature: ${signature}`);

  const rows = await page.locator('#parameters table.params tr').count();
  const firstParameter = rows > 0 ? await page.locator('#parameters table.params tr th').first().innerText() : '';
  if (rows < 5 || !firstParameter.startsWith('a')) walk.fail(`parameter table: ${rows} rows, first ${firstParameter}`);
  walk.step(`parameter table: ${rows} rows`);

  // numpy.mean's docstring has no formula: the math is checked on numpy.hanning's page
  // (a `.. math::` block), then the walk goes back to numpy.mean.
  await page.goto(`${walk.origin}/api/numpy.hanning.html`);
  const math = page.locator('math').first();
  const box = (await page.locator('math').count()) > 0 ? await math.boundingBox() : null;
  if (!box || box.width < 10 || box.height < 5) walk.fail(`math not rendered: ${JSON.stringify(box)}`);
  walk.step(`math: ${await page.locator('math').count()} MathML formulas, first ${Math.round(box?.width ?? 0)}×${Math.round(box?.height ?? 0)} px`);

  await page.goto(`${walk.origin}/api/numpy.mean.html`);
  const prompts = await page.locator('#examples pre.doctest span.gp').count();
  const color = prompts > 0 ? await page.locator('#examples pre.doctest span.gp').first().evaluate((e) => getComputedStyle(e).color) : '';
  const plain = prompts > 0 ? await page.locator('#examples pre.doctest').first().evaluate((e) => getComputedStyle(e).color) : '';
  if (prompts === 0 || color === plain) walk.fail(`example not highlighted: ${prompts} prompts, colours ${color} / ${plain}`);
  walk.step(`examples: ${prompts} highlighted prompts`);

  const link = page.locator('#see-also a.reference').first();
  const target = await link.innerText();
  await Promise.all([page.waitForURL(/\/api\/numpy\.[a-z_.]+\.html$/), link.click()]);
  const heading = await page.locator('h1').innerText();
  if (!heading.endsWith(target)) walk.fail(`See Also ${target} led to ${page.url()} (${heading})`);
  walk.step(`See Also ${target} → ${heading}`);
} catch (error) {
  walk.fail(`the walk stopped: ${error.message.split('\n')[0]}`);
}
await walk.finish();
