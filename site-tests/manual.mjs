// The practices manual in a real browser: Debian's chromium driven by playwright-core, the
// pages served by a tiny static server on 127.0.0.1 (site-tests/walk.mjs).
//
//   node site-tests/manual.mjs SITE_DIR
//
// From scipy's page, follows a failing check's "in the manual" link to the check's manual
// page, finds scipy among the failing projects there, and follows that link back to scipy's
// page (its review section); then opens the manual's index through the site navigation, the
// community hub and an event page. Fails on any console or page error and on any serious or
// critical axe-core violation on the manual's pages and the community hub. Prints a short
// summary; exits non-zero on failure.

import { startWalk } from './walk.mjs';

const { page, url, fail, step, axe, finish } = await startWalk('manual');

try {
  // scipy's page: its failing checks, each with a link to the manual.
  await page.goto(url('projects/scipy/index.html'));
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
}
await finish();
