import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import { sendText, type RouteHandler } from '@wanxin/platform';

/** graphql-ws's own browser build (UMD, global `graphqlWs`), served from the installed package. */
const CLIENT_SCRIPT_PATH = path.join(path.dirname(require.resolve('graphql-ws')), '..', 'umd', 'graphql-ws.min.js');
/** Fundraising loans followed live at once; the page says when there are more. */
const LIVE_LOANS_MAX = 20;

/** The page. Every element a test or a person looks for has a stable id (stat-<field>, loan-<id>-bar, …). */
function dashboardHtml(statFields: string[]): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>Wanxin · 运营看板</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; color: #1f2937; }
  .hidden { display: none; }
  #stats { display: flex; gap: 1rem; flex-wrap: wrap; }
  .stat { border: 1px solid #d1d5db; border-radius: 8px; padding: .75rem 1rem; min-width: 12rem; }
  .stat-value { font-size: 1.6rem; font-weight: 600; }
  table { border-collapse: collapse; margin-top: 1rem; }
  td, th { padding: .3rem .8rem; text-align: left; }
  .bar { display: inline-block; vertical-align: middle; margin-right: .5rem; width: 16rem; height: .8rem; background: #e5e7eb; border-radius: 4px; overflow: hidden; }
  .bar-fill { height: 100%; background: #2563eb; transition: width .3s; }
  tr.closed .bar-fill { background: #16a34a; }
  #connection-status[data-state="open"] { color: #16a34a; }
  #connection-status[data-state="closed"] { color: #dc2626; }
</style>
</head>
<body>
<h1>Wanxin 运营看板</h1>
<form id="login-form">
  <input id="login-mobile" name="mobile" placeholder="mobile" autocomplete="username">
  <input id="login-password" name="password" type="password" placeholder="password" autocomplete="current-password">
  <button id="login-submit" type="submit">Sign in</button>
  <span id="login-error" role="alert"></span>
</form>
<main id="dashboard" class="hidden">
  <p>Live: <span id="connection-status" data-state="connecting">connecting</span> · <span id="stats-date"></span></p>
  <section id="stats">${statFields.map((field) => `<div class="stat"><div>${field}</div><div class="stat-value" id="stat-${field}">–</div></div>`).join('')}</section>
  <h2>Fundraising loans</h2>
  <p id="loans-more" class="hidden">Only the first ${LIVE_LOANS_MAX} are followed live.</p>
  <table><thead><tr><th>loan</th><th>title</th><th>raised / amount</th><th>progress</th></tr></thead><tbody id="loans"></tbody></table>
</main>
<script src="/dashboard/graphql-ws.js"></script>
<script>
(() => {
  const STAT_FIELDS = ${JSON.stringify(statFields)};
  const LIVE_LOANS_MAX = ${LIVE_LOANS_MAX};
  const STATS = 'platformStats { date ' + STAT_FIELDS.join(' ') + ' }';
  const LOANS = 'query { loans(status: FUNDRAISING, first: ' + (LIVE_LOANS_MAX + 1) + ') { edges { node { id loanNo title amount status funding { raised progress } } } } }';
  const FUNDING = 'subscription($loanId: ID!) { loanFunding(loanId: $loanId) { loan { id status amount } funding { raised progress } } }';
  let token = null;
  let client = null;
  const followed = new Map();

  async function post(query, variables) {
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = await response.json();
    if (body.errors && body.errors.length) throw new Error(body.errors.map((error) => error.message).join('; '));
    return body.data;
  }

  function showStats(stats) {
    document.getElementById('stats-date').textContent = stats.date;
    for (const field of STAT_FIELDS) document.getElementById('stat-' + field).textContent = String(stats[field]);
  }

  function showFunding(loanId, loan, funding) {
    const row = document.getElementById('loan-' + loanId);
    if (!row) return;
    document.getElementById('loan-' + loanId + '-raised').textContent = funding.raised + ' / ' + loan.amount;
    document.getElementById('loan-' + loanId + '-bar-fill').style.width = Math.round(funding.progress * 100) + '%';
    document.getElementById('loan-' + loanId + '-progress').textContent = Math.round(funding.progress * 100) + '%';
    row.dataset.status = loan.status;
    row.classList.toggle('closed', loan.status !== 'FUNDRAISING');
  }

  function addLoanRow(loan) {
    const row = document.createElement('tr');
    row.id = 'loan-' + loan.id;
    row.innerHTML = '<td></td><td></td><td id="loan-' + loan.id + '-raised"></td>' +
      '<td><div class="bar" id="loan-' + loan.id + '-bar"><div class="bar-fill" id="loan-' + loan.id + '-bar-fill"></div></div><span id="loan-' + loan.id + '-progress"></span></td>';
    row.children[0].textContent = loan.loanNo;
    row.children[1].textContent = loan.title;
    document.getElementById('loans').appendChild(row);
    showFunding(loan.id, loan, loan.funding);
  }

  async function refreshLoans() {
    const edges = (await post(LOANS)).loans.edges;
    document.getElementById('loans-more').classList.toggle('hidden', edges.length <= LIVE_LOANS_MAX);
    for (const { node } of edges.slice(0, LIVE_LOANS_MAX)) {
      if (followed.has(node.id)) continue;
      addLoanRow(node);
      followed.set(node.id, client.subscribe({ query: FUNDING, variables: { loanId: node.id } }, {
        next: (result) => result.data && showFunding(node.id, result.data.loanFunding.loan, result.data.loanFunding.funding),
        error: () => undefined,
        complete: () => undefined,
      }));
    }
  }

  function connect() {
    const status = document.getElementById('connection-status');
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql';
    client = graphqlWs.createClient({
      url,
      connectionParams: { authorization: 'Bearer ' + token },
      on: {
        connected: () => { status.textContent = 'open'; status.dataset.state = 'open'; },
        closed: (event) => { status.textContent = 'closed (' + event.code + ')'; status.dataset.state = 'closed'; },
      },
    });
    let fundraising = null;
    client.subscribe({ query: 'subscription { ' + STATS + ' }' }, {
      next: (result) => {
        if (!result.data) return;
        const stats = result.data.platformStats;
        showStats(stats);
        if ('loansFundraising' in stats && stats.loansFundraising !== fundraising) {
          fundraising = stats.loansFundraising;
          refreshLoans().catch(() => undefined);
        }
      },
      error: () => undefined,
      complete: () => undefined,
    });
  }

  document.getElementById('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = document.getElementById('login-error');
    error.textContent = '';
    try {
      const login = (await post('mutation($m: String!, $p: String!) { login(mobile: $m, password: $p) { token user { role } } }', {
        m: document.getElementById('login-mobile').value, p: document.getElementById('login-password').value,
      })).login;
      if (login.user.role !== 'ADMIN') throw new Error('the dashboard is for admins');
      token = login.token;
      document.getElementById('login-form').classList.add('hidden');
      document.getElementById('dashboard').classList.remove('hidden');
      showStats((await post('query { ' + STATS + ' }')).platformStats);
      connect();
      await refreshLoans();
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
})();
</script>
</body>
</html>
`;
}

/** `'sha256-…'` sources for each inline `<tag>` block of our own page, so CSP allows exactly those. */
function inlineSources(html: string, tag: 'script' | 'style'): string[] {
  const blocks = html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'));
  return [...blocks].map(([, body]) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
}

/**
 * The page runs only its own script and styles (no injected markup can run), talks only to this origin
 * (GraphQL over HTTP and WebSocket), and may not be framed (no clickjacking of the admin's sign-in).
 */
function contentSecurityPolicy(html: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' ${inlineSources(html, 'script').join(' ')}`,
    `style-src ${inlineSources(html, 'style').join(' ')}`,
    "connect-src 'self'",
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The admin dashboard: `GET /dashboard` and the graphql-ws browser client it loads. Stats fields come from the schema served. */
export function dashboardRoutes(apiSchema: GraphQLSchema): Record<string, RouteHandler> {
  const statsType = apiSchema.getQueryType()?.getFields().platformStats?.type;
  const named = statsType === undefined ? undefined : getNamedType(statsType);
  const statFields = isObjectType(named) ? Object.keys(named.getFields()).filter((field) => field !== 'date') : [];
  const html = dashboardHtml(statFields);
  const pageHeaders = {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': contentSecurityPolicy(html),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  const clientScript = fs.readFileSync(CLIENT_SCRIPT_PATH);
  const onlyGet =
    (send: RouteHandler): RouteHandler =>
    (request, response) =>
      request.method === 'GET' ? send(request, response) : sendText(response, 405, 'method not allowed');
  return {
    '/dashboard': onlyGet((_request, response) => {
      response.writeHead(200, pageHeaders);
      response.end(html);
    }),
    '/dashboard/graphql-ws.js': onlyGet((_request, response) => {
      response.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=3600',
      });
      response.end(clientScript);
    }),
  };
}
