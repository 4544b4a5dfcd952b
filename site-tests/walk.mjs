// What every browser test of a built site shares: a tiny static server for the site folder on
// 127.0.0.1 (axe-core reads stylesheets, which file:// forbids), Debian's chromium through
// playwright-core with nothing allowed to leave the machine, console and page errors counted
// as failures, axe-core's serious and critical violations counted as failures, and the
// summary printed at the end with the exit code.
//
//   const walk = await startWalk('manual');   // reads SITE_DIR from the command line
//   await walk.page.goto(walk.url('index.html'));
//   ...
//   await walk.finish();                       // prints, closes, exits 0 or 1

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const axePath = path.join(here, 'node_modules', 'axe-core', 'axe.min.js');
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.atom': 'application/atom+xml', '.xml': 'application/xml',
  '.ics': 'text/calendar' };

/** Serves the site folder named on the command line and opens a page on it in chromium. */
export async function startWalk(name) {
  const site = process.argv[2];
  if (!site) {
    console.error(`usage: node site-tests/${name}.mjs SITE_DIR`);
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
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Nothing leaves the machine: only the local server's pages load.
  await context.route((u) => u.origin !== origin, (route) => route.abort());
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') fail(`console error on ${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (error) => fail(`page error on ${page.url()}: ${error.message}`));

  /** Runs axe-core on the page; serious and critical violations are failures. */
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

  /** Closes everything, prints what was done and what failed, and exits. */
  async function finish() {
    await browser.close();
    server.close();
    for (const line of done) console.log(`ok   ${line}`);
    for (const line of failures) console.log(`FAIL ${line}`);
    console.log(failures.length === 0 ? `${name} browser test: passed`
      : `${name} browser test: ${failures.length} failures`);
    process.exit(failures.length === 0 ? 0 : 1);
  }

  return { page, url: (relative) => `${origin}/${relative}`, origin, fail, step, axe, finish };
}
