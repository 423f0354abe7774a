import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's Chromium, headless. Playwright gives every launch a fresh temporary
 * profile (it refuses --user-data-dir on launch); *.localhost resolves to this machine.
 */
export async function launchChromium(): Promise<{ browser: Browser; newContext: () => Promise<BrowserContext>; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP *.localhost 127.0.0.1',
    ],
  });
  return {
    browser,
    newContext: () => browser.newContext({ viewport: { width: 1200, height: 900 } }),
    async close() {
      await browser.close();
    },
  };
}
