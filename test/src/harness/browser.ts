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
