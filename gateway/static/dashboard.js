// The admin dashboard's script. What depends on the schema served (the platformStats fields) and the
// gateway's settings comes from /dashboard/settings.json, so this file is static.
(() => {
  let statFields = [];
  let liveLoansMax = 0;
  let statsSelection = '';
  let loansQuery = '';
  const FUNDING =
    'subscription($loanId: ID!) { loanFunding(loanId: $loanId) { loan { id status amount } funding { raised progress } } }';
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
    for (const field of statFields) document.getElementById('stat-' + field).textContent = String(stats[field]);
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
    row.innerHTML =
      '<td></td><td></td><td id="loan-' +
      loan.id +
      '-raised"></td>' +
      '<td><div class="bar" id="loan-' +
      loan.id +
      '-bar"><div class="bar-fill" id="loan-' +
      loan.id +
      '-bar-fill"></div></div><span id="loan-' +
      loan.id +
      '-progress"></span></td>';
    row.children[0].textContent = loan.loanNo;
    row.children[1].textContent = loan.title;
    document.getElementById('loans').appendChild(row);
    showFunding(loan.id, loan, loan.funding);
  }

  async function refreshLoans() {
    const edges = (await post(loansQuery)).loans.edges;
    document.getElementById('loans-more').classList.toggle('hidden', edges.length <= liveLoansMax);
    for (const { node } of edges.slice(0, liveLoansMax)) {
      if (followed.has(node.id)) continue;
      addLoanRow(node);
      followed.set(
        node.id,
        client.subscribe(
          { query: FUNDING, variables: { loanId: node.id } },
          {
            next: (result) =>
              result.data && showFunding(node.id, result.data.loanFunding.loan, result.data.loanFunding.funding),
            error: () => undefined,
            complete: () => undefined,
          },
        ),
      );
    }
  }

  function connect() {
    const status = document.getElementById('connection-status');
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql';
    client = graphqlWs.createClient({
      url,
      connectionParams: { authorization: 'Bearer ' + token },
      on: {
        connected: () => {
          status.textContent = 'open';
          status.dataset.state = 'open';
        },
        closed: (event) => {
          status.textContent = 'closed (' + event.code + ')';
          status.dataset.state = 'closed';
        },
      },
    });
    let fundraising = null;
    client.subscribe(
      { query: 'subscription { ' + statsSelection + ' }' },
      {
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
      },
    );
  }

  /** Shows one box per stats field and says how many loans are followed live. */
  function applySettings(settings) {
    statFields = settings.statFields;
    liveLoansMax = settings.liveLoansMax;
    statsSelection = 'platformStats { date ' + statFields.join(' ') + ' }';
    loansQuery =
      'query { loans(status: FUNDRAISING, first: ' +
      (liveLoansMax + 1) +
      ') { edges { node { id loanNo title amount status funding { raised progress } } } } }';
    const section = document.getElementById('stats');
    for (const field of statFields) {
      const box = document.createElement('div');
      box.className = 'stat';
      box.innerHTML = '<div></div><div class="stat-value">–</div>';
      box.children[0].textContent = field;
      box.children[1].id = 'stat-' + field;
      section.appendChild(box);
    }
    document.getElementById('loans-more').textContent = 'Only the first ' + liveLoansMax + ' are followed live.';
  }

  const settingsLoaded = fetch('/dashboard/settings.json')
    .then((response) => response.json())
    .then(applySettings);

  document.getElementById('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = document.getElementById('login-error');
    error.textContent = '';
    try {
      await settingsLoaded;
      const login = (
        await post('mutation($m: String!, $p: String!) { login(mobile: $m, password: $p) { token user { role } } }', {
          m: document.getElementById('login-mobile').value,
          p: document.getElementById('login-password').value,
        })
      ).login;
      if (login.user.role !== 'ADMIN') throw new Error('the dashboard is for admins');
      token = login.token;
      document.getElementById('login-form').classList.add('hidden');
      document.getElementById('dashboard').classList.remove('hidden');
      showStats((await post('query { ' + statsSelection + ' }')).platformStats);
      connect();
      await refreshLoans();
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
})();
