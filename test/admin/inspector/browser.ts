/**
 * Debian's chromium, driven by playwright-core. In CI (CI set) a missing
 * chromium fails the tests that need it (.ci/run installs it); elsewhere they
 * are skipped, with a line saying why.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const chromiumRequired = Boolean(process.env.CI);
/** Run the browser tests: chromium is there, or CI insists (they then fail, saying what is missing). */
export const runBrowserTests = hasChromium || chromiumRequired;

if (!runBrowserTests) console.warn(`inspector browser tests skipped: no chromium at ${CHROMIUM} (apt-get install chromium; in CI they fail instead)`);

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launch(options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<Browser> {
  if (!hasChromium) throw new Error(`chromium is missing at ${CHROMIUM}: .ci/run installs it with apt-get install chromium`);
  const dir = mkdtempSync(join(tmpdir(), 'rolekit-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? 'light',
    deviceScaleFactor: 1,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
