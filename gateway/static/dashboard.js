// The admin dashboard's script. What depends on the schema served (the platformStats fields and their types)
// and the gateway's settings comes from /dashboard/settings.json, so this file is static. Every panel is
// read again when a platformStats push says its figures changed; nothing polls.
(() => {
  /** The operator's language: Chinese for a zh-* browser, English otherwise (and for any label not translated). */
  const LABELS = {
    'zh-CN': {
      title: 'Wanxin 运营看板',
      mobile: '手机号',
      password: '密码',
      signIn: '登录',
      notAdmin: '看板仅供管理员使用',
      live: '实时',
      connecting: '连接中',
      open: '已连接',
      closed: '已断开',
      businessDate: '营业日',
      loansFundraising: '筹款中的借款',
      amountRaisedToday: '今日筹款额',
      installmentsDueToday: '今日到期',
      installmentsOverdue: '逾期期数',
      creditApplicationsPending: '待审核授信',
      lastReconciledDate: '最近对账日',
      chartTitle: '近 30 个营业日',
      chartData: '数据表',
      period: '日期',
      loansPublished: '发布借款',
      amountFunded: '放款金额',
      amountRepaid: '还款金额',
      amountOverdue: '逾期金额',
      overdueRate: '逾期率',
      newUsers: '新用户',
      overdueTitle: '逾期还款',
      total: '合计',
      loan: '借款',
      installmentPeriod: '期数',
      borrower: '借款人',
      overdueDays: '逾期天数',
      amountOwed: '应还金额',
      reviewsTitle: '待审核的授信申请',
      applicant: '申请人',
      submittedAt: '提交时间',
      reconciliationTitle: '最近一次对账',
      reconciliationDate: '对账日',
      reconciliationStatus: '状态',
      balanced: '平账',
      unbalanced: '有差异',
      noReconciliation: '暂无',
      platformAmount: '平台合计',
      bankAmount: '银行合计',
      matched: '一致笔数',
      discrepancies: '差异笔数',
      loansTitle: '筹款中的借款',
      loanTitle: '标题',
      raisedOfAmount: '已筹 / 金额',
      progress: '进度',
      loansMore: '仅实时跟踪前 {n} 笔。',
    },
    en: {
      title: 'Wanxin operations dashboard',
      mobile: 'mobile',
      password: 'password',
      signIn: 'Sign in',
      notAdmin: 'the dashboard is for admins',
      live: 'Live',
      connecting: 'connecting',
      open: 'open',
      closed: 'closed',
      businessDate: 'Business date',
      loansFundraising: 'Loans fundraising',
      amountRaisedToday: 'Raised today',
      installmentsDueToday: 'Due today',
      installmentsOverdue: 'Installments overdue',
      creditApplicationsPending: 'Credit applications pending',
      lastReconciledDate: 'Last reconciled day',
      chartTitle: 'The last 30 business days',
      chartData: 'Data table',
      period: 'Day',
      loansPublished: 'Loans published',
      amountFunded: 'Amount funded',
      amountRepaid: 'Amount repaid',
      amountOverdue: 'Amount overdue',
      overdueRate: 'Overdue rate',
      newUsers: 'New users',
      overdueTitle: 'Overdue installments',
      total: 'Total',
      loan: 'Loan',
      installmentPeriod: 'Period',
      borrower: 'Borrower',
      overdueDays: 'Days overdue',
      amountOwed: 'Amount owed',
      reviewsTitle: 'Credit applications waiting for review',
      applicant: 'Applicant',
      submittedAt: 'Submitted',
      reconciliationTitle: 'Last reconciliation',
      reconciliationDate: 'Day',
      reconciliationStatus: 'Status',
      balanced: 'balanced',
      unbalanced: 'discrepancies',
      noReconciliation: 'none yet',
      platformAmount: 'Platform total',
      bankAmount: 'Bank total',
      matched: 'Matched',
      discrepancies: 'Discrepancies',
      loansTitle: 'Fundraising loans',
      loanTitle: 'Title',
      raisedOfAmount: 'Raised / amount',
      progress: 'Progress',
      loansMore: 'Only the first {n} are followed live.',
    },
  };
  const preferred = navigator.languages && navigator.languages.length ? navigator.languages[0] : navigator.language;
  const language = /^zh\b/i.test(preferred || '') ? 'zh-CN' : 'en';

  function label(key) {
    return LABELS[language][key] || LABELS.en[key] || key;
  }

  /** Rows each list panel shows (the total says how many there are); the API's own maximum is 100. */
  const PANEL_ROWS_MAX = 20;
  /** The chart's span, in business days, today included. */
  const CHART_DAYS = 30;
  /** Runs read to find the newest completed one: the newest is usually today's, still to run. */
  const RECONCILIATION_RUNS_READ = 10;
  const FUNDING =
    'subscription($loanId: ID!) { loanFunding(loanId: $loanId) { loan { id status amount } funding { raised progress } } }';
  const OVERDUE = `query($first: Int!) { overdueInstallments(first: $first) { totalCount edges { node {
    id period overdueDays amount penalty loan { id loanNo borrower { id mobile realName } } } } } }`;
  const REVIEWS = `query($first: Int!) { creditApplications(status: SUBMITTED, first: $first) { totalCount
    edges { node { id createdAt user { id mobile realName } } } } }`;
  const RECONCILIATION = `query($first: Int!) { reconciliationRuns(first: $first) {
    date matched missingAtBank missingAtPlatform mismatched platformAmount bankAmount completedAt } }`;
  const STATISTICS = `query($from: Date!, $to: Date!) { statistics(from: $from, to: $to, granularity: DAY) {
    period loansPublished amountFunded amountRepaid amountOverdue overdueRate newUsers } }`;

  let statFields = [];
  let liveLoansMax = 0;
  let statsSelection = '';
  let loansQuery = '';
  let token = null;
  let client = null;
  let chart = null;
  let businessDate = null;
  const followed = new Map();

  /** "1234567.50" → "¥1,234,567.50": the Money string is formatted as text, never parsed as a float. */
  function formatMoney(money) {
    const parts = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(money);
    if (!parts) return money;
    return parts[1] + '¥' + parts[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '.' + (parts[3] || '').padEnd(2, '0');
  }

  /** A Money string as whole fen, exactly (BigInt), for sums such as amount plus penalty. */
  function fenOf(money) {
    const parts = /^(\d+)(?:\.(\d{1,2}))?$/.exec(money);
    if (!parts) throw new Error('not a Money amount: ' + money);
    return BigInt(parts[1]) * 100n + BigInt((parts[2] || '').padEnd(2, '0'));
  }

  function moneyOfFen(fen) {
    const text = fen.toString().padStart(3, '0');
    return text.slice(0, -2) + '.' + text.slice(-2);
  }

  /** "0.0525" → "5.25%": the Rate string's decimal point moved two places, as text. */
  function formatRate(rate) {
    const parts = /^(\d+)(?:\.(\d+))?$/.exec(rate);
    if (!parts) return rate;
    const fraction = (parts[2] || '').padEnd(2, '0');
    const whole = (parts[1] + fraction.slice(0, 2)).replace(/^0+(?=\d)/, '');
    const rest = fraction.slice(2).replace(/0+$/, '');
    return whole + (rest ? '.' + rest : '') + '%';
  }

  function formatStat(value, type) {
    if (value === null || value === undefined) return '—';
    return type === 'Money' ? formatMoney(value) : String(value);
  }

  /** YYYY-MM-DD plus `days` (calendar arithmetic in UTC). */
  function addDays(date, days) {
    const [year, month, day] = date.split('-').map(Number);
    return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
  }

  /** A list panel <name>-panel: <name>-title, "Total: <name>-total", a table of <name>-rows, <name>-error. */
  function buildListPanel(section) {
    const name = section.id.replace(/-panel$/, '');
    const add = (parent, tag, id) => {
      const element = parent.appendChild(document.createElement(tag));
      if (id) element.id = name + '-' + id;
      return element;
    };
    const [title, ...columns] = section.dataset.list.split(' ');
    add(section, 'h2', 'title').dataset.label = title;
    const total = add(section, 'p');
    add(total, 'span').dataset.label = 'total';
    total.appendChild(document.createTextNode(': '));
    add(total, 'span', 'total').textContent = '–';
    const table = add(section, 'table');
    add(add(table, 'thead'), 'tr').dataset.columns = columns.join(' ');
    add(table, 'tbody', 'rows');
    const error = add(section, 'p', 'error');
    error.className = 'error';
    error.setAttribute('role', 'alert');
  }

  function applyLabels() {
    document.documentElement.lang = language;
    for (const section of document.querySelectorAll('[data-list]')) buildListPanel(section);
    for (const list of document.querySelectorAll('[data-terms]'))
      for (const term of list.dataset.terms.split(' ')) {
        const [key, id] = term.split(':');
        list.appendChild(document.createElement('dt')).dataset.label = key;
        const value = list.appendChild(document.createElement('dd'));
        value.id = list.closest('section').id.replace(/-panel$/, '') + '-' + id;
        value.textContent = '–';
      }
    // A table's head names its columns once (data-columns): a header cell each, labelled like the rest.
    for (const row of document.querySelectorAll('[data-columns]'))
      for (const key of row.dataset.columns.split(' '))
        row.appendChild(document.createElement('th')).dataset.label = key;
    for (const element of document.querySelectorAll('[data-label]')) element.textContent = label(element.dataset.label);
    for (const element of document.querySelectorAll('[data-label-placeholder]'))
      element.placeholder = label(element.dataset.labelPlaceholder);
    document.title = 'Wanxin · ' + label('title');
  }

  async function post(query, variables) {
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = await response.json();
    if (body.errors && body.errors.length) throw new Error(body.errors.map((error) => error.message).join('; '));
    return body.data;
  }

  /** A table row of text cells (textContent: no markup from the data is ever interpreted). */
  function textRow(id, cells) {
    const row = document.createElement('tr');
    row.id = id;
    for (const cell of cells) row.appendChild(document.createElement('td')).textContent = cell;
    return row;
  }

  function personOf(user) {
    return user.realName || user.mobile;
  }

  function showStats(stats) {
    document.getElementById('stats-date').textContent = stats.date;
    for (const { field, type } of statFields)
      document.getElementById('stat-' + field).textContent = formatStat(stats[field], type);
  }

  /** A list panel's read: the first rows of `field`'s connection, a row each, and the list's total. */
  function listLoader(name, query, field, rowOf) {
    return async () => {
      const list = (await post(query, { first: PANEL_ROWS_MAX }))[field];
      document.getElementById(name + '-total').textContent = String(list.totalCount);
      document.getElementById(name + '-rows').replaceChildren(...list.edges.map(({ node }) => rowOf(node)));
    };
  }

  const loadOverdue = listLoader('overdue', OVERDUE, 'overdueInstallments', (node) =>
    textRow('overdue-' + node.id, [
      node.loan ? node.loan.loanNo : '—',
      String(node.period),
      node.loan ? personOf(node.loan.borrower) : '—',
      String(node.overdueDays),
      formatMoney(moneyOfFen(fenOf(node.amount) + fenOf(node.penalty))),
    ]),
  );

  const loadReviews = listLoader('reviews', REVIEWS, 'creditApplications', (node) =>
    textRow('review-' + node.id, [personOf(node.user), new Date(node.createdAt).toLocaleString(language)]),
  );

  async function loadReconciliation() {
    const runs = (await post(RECONCILIATION, { first: RECONCILIATION_RUNS_READ })).reconciliationRuns;
    const run = runs.find((candidate) => candidate.completedAt !== null);
    const show = (id, text) => (document.getElementById('reconciliation-' + id).textContent = text);
    if (!run) {
      for (const id of ['platform-amount', 'bank-amount', 'matched', 'discrepancies']) show(id, '–');
      show('date', label('noReconciliation'));
      show('status', '–');
      return;
    }
    const discrepancies = run.missingAtBank + run.missingAtPlatform + run.mismatched;
    const balanced = discrepancies === 0 && fenOf(run.platformAmount) === fenOf(run.bankAmount);
    show('date', run.date);
    show('status', label(balanced ? 'balanced' : 'unbalanced'));
    document.getElementById('reconciliation-status').dataset.balanced = String(balanced);
    show('platform-amount', formatMoney(run.platformAmount));
    show('bank-amount', formatMoney(run.bankAmount));
    show('matched', String(run.matched));
    show('discrepancies', String(discrepancies));
  }

  /** uPlot's data: seconds since the epoch per day, then one array per series. */
  function chartData(rows) {
    // Display only: a Money or Rate string becomes a float here just to place a point on the chart; every
    // figure a person reads (legend, table) is the exact string, formatted.
    return [
      rows.map((row) => Date.parse(row.period + 'T00:00:00Z') / 1000),
      rows.map((row) => Number(row.amountFunded)),
      rows.map((row) => Number(row.amountRepaid)),
      rows.map((row) => Number(row.overdueRate) * 100),
    ];
  }

  function createChart(rows) {
    const exact = (field, format) => (self, value, series, index) =>
      index === null || index === undefined || !rows[index] ? '—' : format(rows[index][field]);
    return new uPlot(
      {
        width: 760,
        height: 260,
        tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
        scales: { money: { auto: true }, rate: { auto: true } },
        series: [
          { label: label('period'), value: exact('period', (period) => period) },
          {
            label: label('amountFunded'),
            scale: 'money',
            stroke: '#2563eb',
            width: 2,
            value: exact('amountFunded', formatMoney),
          },
          {
            label: label('amountRepaid'),
            scale: 'money',
            stroke: '#16a34a',
            width: 2,
            value: exact('amountRepaid', formatMoney),
          },
          {
            label: label('overdueRate'),
            scale: 'rate',
            stroke: '#dc2626',
            width: 2,
            value: exact('overdueRate', formatRate),
          },
        ],
        axes: [
          {},
          { scale: 'money', values: (self, ticks) => ticks.map((tick) => '¥' + tick.toLocaleString(language)) },
          { scale: 'rate', side: 1, grid: { show: false }, values: (self, ticks) => ticks.map((tick) => tick + '%') },
        ],
      },
      chartData(rows),
      document.getElementById('chart'),
    );
  }

  async function loadChart() {
    if (businessDate === null) return;
    const variables = { from: addDays(businessDate, 1 - CHART_DAYS), to: businessDate };
    const rows = (await post(STATISTICS, variables)).statistics;
    document
      .getElementById('chart-rows')
      .replaceChildren(
        ...rows.map((row) =>
          textRow('statistics-' + row.period, [
            row.period,
            String(row.loansPublished),
            formatMoney(row.amountFunded),
            formatMoney(row.amountRepaid),
            formatMoney(row.amountOverdue),
            formatRate(row.overdueRate),
            String(row.newUsers),
          ]),
        ),
      );
    // The legend's exact strings come from the rows the chart was made with: a new set of rows, a new chart.
    if (chart) chart.destroy();
    chart = createChart(rows);
  }

  /**
   * A panel's read, one at a time: a request while one runs marks it stale and it runs once more after, so a
   * burst of pushes costs at most two reads. A failure shows in the panel; the next push tries again.
   */
  function panel(name, load) {
    let running = false;
    let stale = false;
    async function run() {
      running = true;
      do {
        stale = false;
        let message = '';
        try {
          await load();
        } catch (failure) {
          message = failure.message;
        }
        document.getElementById(name + '-error').textContent = message;
      } while (stale);
      running = false;
    }
    return () => {
      if (running) stale = true;
      else run();
    };
  }

  const refresh = {
    overdue: panel('overdue', loadOverdue),
    reviews: panel('reviews', loadReviews),
    reconciliation: panel('reconciliation', loadReconciliation),
    chart: panel('chart', loadChart),
  };

  /** The figures last shown: each panel is read again when one that moves it changed. */
  let shown = null;

  function onStats(stats) {
    showStats(stats);
    const changed = (field) => shown === null || shown[field] !== stats[field];
    businessDate = stats.date;
    if (changed('date') || changed('installmentsOverdue')) refresh.overdue();
    if (changed('date') || changed('creditApplicationsPending')) refresh.reviews();
    if (changed('lastReconciledDate')) refresh.reconciliation();
    if (changed('loansFundraising')) refreshLoans().catch(() => undefined);
    // Every push is an event that may have moved a day's statistics (a payout, a repayment, an overdue).
    refresh.chart();
    shown = stats;
  }

  function showFunding(loanId, loan, funding) {
    const row = document.getElementById('loan-' + loanId);
    if (!row) return;
    document.getElementById('loan-' + loanId + '-raised').textContent =
      formatMoney(funding.raised) + ' / ' + formatMoney(loan.amount);
    document.getElementById('loan-' + loanId + '-bar-fill').style.width = Math.round(funding.progress * 100) + '%';
    document.getElementById('loan-' + loanId + '-progress').textContent = Math.round(funding.progress * 100) + '%';
    row.dataset.status = loan.status;
    row.classList.toggle('closed', loan.status !== 'FUNDRAISING');
  }

  function addLoanRow(loan) {
    const row = textRow('loan-' + loan.id, [loan.loanNo, loan.title, '', '']);
    row.children[2].id = 'loan-' + loan.id + '-raised';
    const bar = row.children[3].appendChild(document.createElement('div'));
    bar.className = 'bar';
    bar.id = 'loan-' + loan.id + '-bar';
    const fill = bar.appendChild(document.createElement('div'));
    fill.className = 'bar-fill';
    fill.id = 'loan-' + loan.id + '-bar-fill';
    row.children[3].appendChild(document.createElement('span')).id = 'loan-' + loan.id + '-progress';
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
    const setStatus = (state, detail) => {
      status.textContent = label(state) + (detail ? ' (' + detail + ')' : '');
      status.dataset.state = state;
    };
    setStatus('connecting');
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql';
    client = graphqlWs.createClient({
      url,
      connectionParams: { authorization: 'Bearer ' + token },
      on: { connected: () => setStatus('open'), closed: (event) => setStatus('closed', event.code) },
    });
    client.subscribe(
      { query: 'subscription { ' + statsSelection + ' }' },
      {
        next: (result) => result.data && onStats(result.data.platformStats),
        error: () => undefined,
        complete: () => undefined,
      },
    );
  }

  /** Shows one box per stats field and says how many loans are followed live. */
  function applySettings(settings) {
    statFields = settings.statFields;
    liveLoansMax = settings.liveLoansMax;
    statsSelection = 'platformStats { date ' + statFields.map(({ field }) => field).join(' ') + ' }';
    loansQuery =
      'query { loans(status: FUNDRAISING, first: ' +
      (liveLoansMax + 1) +
      ') { edges { node { id loanNo title amount status funding { raised progress } } } } }';
    const section = document.getElementById('stats');
    for (const { field } of statFields) {
      const box = section.appendChild(document.createElement('div'));
      box.className = 'stat';
      const name = box.appendChild(document.createElement('div'));
      name.id = 'stat-' + field + '-label';
      name.textContent = label(field);
      const value = box.appendChild(document.createElement('div'));
      value.className = 'stat-value';
      value.id = 'stat-' + field;
      value.textContent = '–';
    }
    document.getElementById('loans-more').textContent = label('loansMore').replace('{n}', String(liveLoansMax));
  }

  applyLabels();
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
      if (login.user.role !== 'ADMIN') throw new Error(label('notAdmin'));
      token = login.token;
      document.getElementById('login-form').classList.add('hidden');
      document.getElementById('dashboard').classList.remove('hidden');
      // Subscribed first, then read: a change between the two still reaches the page.
      connect();
      onStats((await post('query { ' + statsSelection + ' }')).platformStats);
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
})();
