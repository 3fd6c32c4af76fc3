/**
 * Headless Chromium through playwright-core, with the flags this needs on a machine without a
 * display, a GPU, a sandbox or the internet. playwright-core loads on first use: only VS Code's
 * code-server path (and the site's browser tests) open a browser.
 */
import type { Browser } from 'playwright-core';

/** Debian's Chromium. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

export interface ChromiumOptions {
  /** Flags after CHROMIUM_FLAGS. */
  args?: string[];
  /** Added to this process's environment. */
  env?: Record<string, string>;
}

export async function launchChromium(executablePath: string, options: ChromiumOptions = {}): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: [...CHROMIUM_FLAGS, ...(options.args ?? [])], ...(options.env ? { env: { ...process.env, ...options.env } as Record<string, string> } : {}) });
}
