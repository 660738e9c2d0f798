import fs from 'node:fs';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { escapeHtml } from '@wanxin/bank-simulator/testing';

/** Debian's `chromium` (infra/services/debian/install.sh installs it); playwright-core downloads no browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** What the platform's openDepositoryAccount, recharge and withdraw answer: where the user's browser goes next. */
export interface BankRedirect {
  url: string;
  method: string;
  fields: { name: string; value: string }[];
}

export function chromiumInstalled(): boolean {
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function launchChromium(): Promise<Browser> {
  // Chromium refuses to start its sandbox as root (CI containers run as root); only then is it turned off.
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath: CHROMIUM_PATH, args });
}

/** Clicks `submit` and returns once the page the submission leads to has loaded in place of the current one. */
export async function submitAndLoad(page: Page, submit: Locator): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await submit.click();
  await navigated;
  await page.waitForLoadState();
}

/** What the platform's page does with a BankRedirect: a form of its fields, posted to the bank; the bank's page loads. */
export async function openBankPage(page: Page, redirect: BankRedirect): Promise<void> {
  const hidden = redirect.fields.map(
    (field) => `<input type="hidden" name="${escapeHtml(field.name)}" value="${escapeHtml(field.value)}">`,
  );
  await page.setContent(
    `<form method="${escapeHtml(redirect.method)}" action="${escapeHtml(redirect.url)}">${hidden.join('')}<button id="to-bank" type="submit">Continue to the bank</button></form>`,
  );
  await submitAndLoad(page, page.locator('#to-bank'));
}

/** Types the trade password into the bank's page and authorises: the result page follows, or the form again with the bank's refusal. */
export async function authoriseAtBank(page: Page, tradePassword: string): Promise<void> {
  await page.locator('#password').pressSequentially(tradePassword);
  await submitAndLoad(page, page.locator('#authorise'));
}

/** The bank's result page: its return code and the sentence it shows. */
export async function bankResult(page: Page): Promise<{ code: string | null; text: string }> {
  const result = page.locator('#result');
  return { code: await result.getAttribute('data-code'), text: (await result.textContent())?.trim() ?? '' };
}

/** A page in its own browser context with the locale given, which records every CSP violation it meets. */
export interface RecordingPage {
  page: Page;
  /** The violations so far: the page's `securitypolicyviolation` events and Chromium's console reports of them. */
  cspViolations(): Promise<string[]>;
  close(): Promise<void>;
}

/** Runs in every document before its own scripts, outside its CSP (this package compiles without the DOM's types). */
const RECORD_CSP_VIOLATIONS = `
  window.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) =>
    window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));
`;

export async function recordingPage(browser: Browser, locale: string): Promise<RecordingPage> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  await context.addInitScript({ content: RECORD_CSP_VIOLATIONS });
  const page = await context.newPage();
  const reported: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) reported.push(message.text());
  });
  return {
    page,
    cspViolations: async () => [...reported, ...((await page.evaluate('window.cspViolations')) as string[])],
    close: () => context.close(),
  };
}

/** Draws a base64 PNG on a canvas and counts the pixels that are not (near) white. */
const INK_FRACTION = `async (base64) => {
  const image = new Image();
  image.src = 'data:image/png;base64,' + base64;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const drawing = canvas.getContext('2d');
  drawing.drawImage(image, 0, 0);
  const pixels = drawing.getImageData(0, 0, image.width, image.height).data;
  let inked = 0;
  for (let index = 0; index < pixels.length; index += 4)
    if (pixels[index] < 240 || pixels[index + 1] < 240 || pixels[index + 2] < 240) inked += 1;
  return inked / (pixels.length / 4);
}`;

/**
 * The share of a PNG's pixels that are not the page's white background, read by drawing it in a blank page
 * (about:blank has no CSP, so a data: image loads): near 0 for a blank screenshot.
 */
export async function inkFraction(browser: Browser, png: Buffer): Promise<number> {
  const page = await browser.newPage();
  try {
    return (await page.evaluate(`(${INK_FRACTION})(${JSON.stringify(png.toString('base64'))})`)) as number;
  } finally {
    await page.close();
  }
}
