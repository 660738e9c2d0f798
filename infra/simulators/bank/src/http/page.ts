import { BANK_CODE_MEANINGS, BANK_CODES, BANK_PATHS, isBankCode } from '@wanxin/platform/bank-protocol';
import type { PageView } from '../services/page-flow';

/**
 * The bank's page, rendered on the server: what is being authorised, a trade password field and the
 * signed request carried in hidden fields; after submission, the result. Every value is escaped; the elements
 * a person or a browser test acts on have stable ids (password, authorise, form-error, result).
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function layout(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)} · Wanxin custodian bank</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1d2733}',
    'dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem}dt{color:#5b6775}dd{margin:0;font-weight:600}',
    '.error{color:#b3261e}.ok{color:#1b6e3a}input[type=password]{width:100%;padding:.5rem;margin:.5rem 0 1rem}',
    'button{padding:.6rem 1.4rem}</style></head>',
    `<body><p>Wanxin custodian bank (simulated)</p><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
  ].join('\n');
}

function formBody(view: Extract<PageView, { kind: 'FORM' }>): string {
  const lines = view.lines
    .map((line) => `<dt>${escapeHtml(line.label)}</dt><dd>${escapeHtml(line.value)}</dd>`)
    .join('');
  const hidden = Object.entries(view.hiddenFields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  const label =
    view.passwordMode === 'CHOOSE' ? 'Choose your trade password (at least 6 characters)' : 'Trade password';
  const autocomplete = view.passwordMode === 'CHOOSE' ? 'new-password' : 'current-password';
  return [
    `<dl>${lines}</dl>`,
    view.error === null ? '' : `<p id="form-error" class="error" role="alert">${escapeHtml(view.error)}</p>`,
    `<form method="post" action="${BANK_PATHS.gateway}">`,
    hidden,
    `<label for="password">${escapeHtml(label)}</label>`,
    `<input type="password" id="password" name="password" required minlength="6" autocomplete="${autocomplete}">`,
    '<button id="authorise" type="submit">Authorise</button>',
    '</form>',
  ].join('\n');
}

function resultBody(view: Extract<PageView, { kind: 'RESULT' }>): string {
  const { code, message, requestNo } = view.result;
  const success = code === BANK_CODES.SUCCESS;
  const meaning = isBankCode(code) ? BANK_CODE_MEANINGS[code] : 'unknown';
  return [
    `<p id="result" class="${success ? 'ok' : 'error'}" data-code="${escapeHtml(code)}" data-request-no="${escapeHtml(requestNo)}">`,
    success ? 'Done.' : `Not done: ${escapeHtml(message)}`,
    '</p>',
    `<p>Result code ${escapeHtml(code)} (${escapeHtml(meaning)}), request ${escapeHtml(requestNo)}.${view.replayed ? ' This request was already processed; nothing was done again.' : ''}</p>`,
    '<p>You may close this page: the platform is notified of the result.</p>',
  ].join('\n');
}

function errorBody(view: Extract<PageView, { kind: 'ERROR' }>): string {
  return `<p id="result" class="error" data-code="${escapeHtml(view.code)}">${escapeHtml(view.message)}</p><p>Nothing was done.</p>`;
}

export function renderPage(view: PageView): string {
  switch (view.kind) {
    case 'FORM':
      return layout(view.title, formBody(view));
    case 'RESULT':
      return layout(view.title, resultBody(view));
    case 'ERROR':
      return layout(view.title, errorBody(view));
    default: {
      const never: never = view;
      throw new Error(`unknown page ${JSON.stringify(never)}`);
    }
  }
}
