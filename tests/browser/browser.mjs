// The one way the scripts here start a browser: Debian's Chromium (or $CHROMIUM), headless,
// through playwright-core, with a page of the desktop size the screenshots are taken at.

import fs from 'node:fs';
import {chromium} from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// Exits with a message when there is no Chromium to start.
export function needChromium() {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`error: no Chromium at ${CHROMIUM}; install it with \`apt-get install -y chromium\` or set CHROMIUM`);
    process.exit(2);
  }
}

export async function launch() {
  needChromium();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Chromium refuses to run as root without this; CI runs as root.
    args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
  });
  const context = await browser.newContext({viewport: {width: 1280, height: 900}});
  return {browser, context, page: await context.newPage()};
}
