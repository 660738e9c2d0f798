// Credit applications over HTTP on libsql and MariaDB with the identity and risk providers in-process:
// apply (verified identity, complete profile, one open), the admin's review, the risk request, the signed
// callback written to the outbox and the consumer storing the answer once and settling the application
// (APPROVED publishes users.credit.approved; every status change users.credit.changed); the callback refuses unsigned, tampered, replayed and unknown
// answers; an answer out of order is kept and not applied; a provider down is asked again until it answers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forkEntityManager, newId, OutboxMessage } from '@wanxin/platform';
import { CreditApplicationChanged, CreditApproved, decodePayload } from '@wanxin/platform/contracts';
import { RISK_MESSAGE_TYPES, signProviderMessage } from '@wanxin/platform/risk-protocol';
import { databaseKindsUnderTest, dataOf, errorCodes, eventually, TEST_ADMIN } from '@wanxin/platform/testing';
import type { RiskProvider } from '@wanxin/risk-simulator';
import { CreditApplication, RiskReport } from '../src/entities/credit-application.entity';
import {
  callAsGateway,
  COMPLETE_PROFILE,
  registerUser,
  startUsersWithProviders,
  verifiableIdentityInput,
  type UsersWithProviders,
} from './users-under-test';

const APPLICATION_FIELDS = 'id status reviewReason asksSent answerOverdue score limit settledAt';
const APPLY = `mutation { applyForCredit { ${APPLICATION_FIELDS} } }`;
const REVIEW = `mutation($id: ID!, $approve: Boolean!, $reason: String) {
  reviewCreditApplication(id: $id, approve: $approve, reason: $reason) { ${APPLICATION_FIELDS} } }`;

let sequence = 300;

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`users credit applications on ${kind}`, { skip }, () => {
    let users: UsersWithProviders;
    let risk: RiskProvider;
    let riskPrivateKeyPem: string;
    let adminToken: string;
    let mobileNumber = 13800003000;
    const call = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
      callAsGateway(users.service, users.environment, `10.3.${mobileNumber % 250}.1`, query, variables, token);
    const register = (role = 'BORROWER') => {
      mobileNumber += 1;
      return registerUser(call, String(mobileNumber), role);
    };
    const saveProfile = async (token: string, changes: Partial<typeof COMPLETE_PROFILE> = {}) =>
      dataOf(
        await call(
          'mutation($i: ProfileInput!) { updateProfile(input: $i) { email } }',
          { i: { ...COMPLETE_PROFILE, ...changes } },
          token,
        ),
      );
    /** Verifies the user's identity through the provider, born on `birthDate` (YYYYMMDD). */
    const verify = async (token: string, birthDate = '19900101') => {
      sequence += 1;
      const input = verifiableIdentityInput(sequence, birthDate);
      dataOf(await call('mutation($i: IdentityInput!) { verifyIdentity(input: $i) { status } }', { i: input }, token));
      await eventually(async () => {
        const me = dataOf(await call('{ me { identity { status } } }', {}, token)).me;
        return me.identity.status === 'VERIFIED' ? true : undefined;
      });
    };
    /** A borrower who may apply: verified identity and a complete profile. */
    const applicant = async (profile: Partial<typeof COMPLETE_PROFILE> = {}, birthDate?: string) => {
      const user = await register();
      await saveProfile(user.token, profile);
      await verify(user.token, birthDate);
      return user;
    };
    const apply = async (token: string) => dataOf(await call(APPLY, {}, token)).applyForCredit;
    const review = (id: string, approve: boolean, reason?: string, token = adminToken) =>
      call(REVIEW, { id, approve, reason }, token);
    const applicationAs = async (token: string) =>
      dataOf(
        await call(
          `{ me { creditApplications(first: 5) { totalCount edges { node { ${APPLICATION_FIELDS} } } } } }`,
          {},
          token,
        ),
      ).me.creditApplications;
    const settled = (token: string) =>
      eventually(async () => {
        const [latest] = (await applicationAs(token)).edges;
        return latest.node.status === 'RISK_PENDING' ? undefined : latest.node;
      });
    const approvedEvents = (userId: string) =>
      forkEntityManager(users.orm).find(OutboxMessage, { type: CreditApproved.type, aggregateId: userId });
    /** The statuses users.credit.changed announced for an application, in the outbox's order. */
    const announcedStatuses = async (userId: string, applicationId: string) =>
      (
        await forkEntityManager(users.orm).find(
          OutboxMessage,
          { type: CreditApplicationChanged.type, aggregateId: userId },
          { orderBy: { id: 'asc' } },
        )
      )
        .map((row) => decodePayload(CreditApplicationChanged, JSON.parse(row.body).payload))
        .flatMap((decoded) =>
          decoded.ok && decoded.payload.applicationId === applicationId ? [decoded.payload.status] : [],
        );
    const reports = (applicationId: string) => forkEntityManager(users.orm).find(RiskReport, { applicationId });
    const answer = (applicationId: string, overrides: Record<string, unknown> = {}) => ({
      answerId: `RSKTEST${newId().replace(/-/g, '')}`,
      applicationId,
      score: 700,
      decision: 'APPROVED',
      limitFen: '10000000',
      assessedAt: new Date().toISOString(),
      ...overrides,
    });
    const notify = (body: unknown) => users.notify('risk', body);
    const signed = (data: object) => signProviderMessage(RISK_MESSAGE_TYPES.answer, data, riskPrivateKeyPem);

    before(async () => {
      users = await startUsersWithProviders(kind, {
        risk: true,
        extraEnv: { RISK_ASK_INTERVAL_MS: '50', RISK_REASK_FIRST_DELAY_MS: '200', RISK_REASK_DELAY_MAX_MS: '400' },
      });
      risk = users.risk!;
      riskPrivateKeyPem = users.privateKeyPemOf('risk');
      const login = 'mutation($m: String!, $p: String!) { login(mobile: $m, password: $p) { token } }';
      adminToken = dataOf(await call(login, { m: TEST_ADMIN.mobile, p: TEST_ADMIN.password })).login.token;
    });
    after(() => users?.stop());

    test('apply → review → risk provider → APPROVED with the rule’s score and limit, users.credit.approved once', async () => {
      const borrower = await applicant();
      const submitted = await apply(borrower.token);
      assert.equal(submitted.status, 'SUBMITTED');
      assert.deepEqual(errorCodes(await call(APPLY, {}, borrower.token)), ['CONFLICT'], 'one open application');
      const pending = dataOf(await review(submitted.id, true)).reviewCreditApplication;
      assert.equal(pending.status, 'RISK_PENDING');
      assert.deepEqual(errorCodes(await review(submitted.id, true)), ['CONFLICT'], 'a second review');
      const approved = await settled(borrower.token);
      // 300 + 150 (verified) + 120 (age 35–49) + 120 (≥ 8,000.00) + 100 (employed) + 40 (bachelor)
      assert.deepEqual(
        { status: approved.status, score: approved.score, limit: approved.limit },
        { status: 'APPROVED', score: 830, limit: '160000.00' },
      );
      // Asked again when the answer takes longer than RISK_REASK_FIRST_DELAY_MS (200 ms here: a loaded machine
      // can take that long); however many asks, the answer is applied once (the event below).
      assert.ok(approved.asksSent >= 1, `asked ${approved.asksSent} times`);
      const events = await eventually(async () => {
        const rows = await approvedEvents(borrower.id);
        return rows.length > 0 ? rows : undefined;
      });
      assert.equal(events.length, 1);
      const decoded = decodePayload(CreditApproved, JSON.parse(events[0].body).payload);
      assert.ok(decoded.ok);
      assert.deepEqual(
        [decoded.payload.applicationId, decoded.payload.score, decoded.payload.limitFen],
        [submitted.id, 830, '16000000'],
      );
      const [report] = await reports(submitted.id);
      assert.equal(report.outcome, 'SETTLED');
      assert.deepEqual(await announcedStatuses(borrower.id, submitted.id), ['SUBMITTED', 'RISK_PENDING', 'APPROVED']);
      assert.equal(JSON.parse(report.rawAnswer).messageType, RISK_MESSAGE_TYPES.answer, 'the signed message is kept');
      // Decided: the borrower may apply again (a re-grant is loans' to apply).
      assert.equal((await apply(borrower.token)).status, 'SUBMITTED');
    });

    test('a score under 600 is RISK_REJECTED with no event; the refusal by review needs a reason', async () => {
      // 300 + 150 (verified) + 40 (age 18–24) + 0 (under 2,000.00) + 100 (employed) + 0 (other) = 590
      const young = await applicant({ monthlyIncome: '1000.00', education: 'OTHER' }, '20060101');
      const application = await apply(young.token);
      dataOf(await review(application.id, true));
      const decided = await settled(young.token);
      assert.deepEqual([decided.status, decided.limit], ['RISK_REJECTED', null]);
      assert.equal((await approvedEvents(young.id)).length, 0);
      assert.deepEqual(await announcedStatuses(young.id, application.id), [
        'SUBMITTED',
        'RISK_PENDING',
        'RISK_REJECTED',
      ]);

      const refused = await applicant();
      const second = await apply(refused.token);
      assert.deepEqual(errorCodes(await review(second.id, false)), ['BAD_USER_INPUT'], 'no reason');
      assert.deepEqual(errorCodes(await review(second.id, false, '   ')), ['BAD_USER_INPUT'], 'a blank reason');
      const literal = `mutation { reviewCreditApplication(id: "${second.id}", approve: false, reason: "收入证明不足")
        { status reviewReason } }`;
      assert.deepEqual(dataOf(await call(literal, {}, adminToken)).reviewCreditApplication, {
        status: 'MANUAL_REJECTED',
        reviewReason: '收入证明不足',
      });
      assert.equal((await reports(second.id)).length, 0, 'never sent to the risk provider');
      assert.deepEqual(await announcedStatuses(refused.id, second.id), ['SUBMITTED', 'MANUAL_REJECTED']);
    });

    test('who may apply and review, and unknown applications', async () => {
      const noIdentity = await register();
      await saveProfile(noIdentity.token);
      assert.deepEqual(errorCodes(await call(APPLY, {}, noIdentity.token)), ['CONFLICT']);
      const noProfile = await register();
      await verify(noProfile.token);
      assert.deepEqual(errorCodes(await call(APPLY, {}, noProfile.token)), ['CONFLICT']);
      const investor = await register('INVESTOR');
      assert.deepEqual(errorCodes(await call(APPLY, {}, investor.token)), ['FORBIDDEN']);
      assert.deepEqual(errorCodes(await call(APPLY)), ['UNAUTHENTICATED']);
      assert.deepEqual(errorCodes(await call(APPLY, {}, adminToken)), ['FORBIDDEN']);
      const rows = await forkEntityManager(users.orm).count(CreditApplication, {
        userId: { $in: [noIdentity.id, noProfile.id, investor.id] },
      });
      assert.equal(rows, 0, 'a refused application records nothing');

      const borrower = await applicant();
      const application = await apply(borrower.token);
      assert.deepEqual(errorCodes(await review(application.id, true, undefined, borrower.token)), ['FORBIDDEN']);
      assert.deepEqual(errorCodes(await review(newId(), true)), ['NOT_FOUND']);
      assert.deepEqual(errorCodes(await review('not-an-id', true)), ['NOT_FOUND']);
      const other = await register();
      const foreign = await call(
        `query($id: ID!) { user(id: $id) { creditApplications { totalCount } } }`,
        {
          id: borrower.id,
        },
        other.token,
      );
      assert.deepEqual(errorCodes(foreign), ['FORBIDDEN']);
      const list = dataOf(
        await call(
          '{ creditApplications(status: SUBMITTED, first: 20) { edges { node { id user { id } } } } }',
          {},
          adminToken,
        ),
      ).creditApplications;
      assert.ok(
        list.edges.some(
          (edge: { node: { id: string; user: { id: string } } }) =>
            edge.node.id === application.id && edge.node.user.id === borrower.id,
        ),
      );
      assert.deepEqual(errorCodes(await call('{ creditApplications { totalCount } }', {}, borrower.token)), [
        'FORBIDDEN',
      ]);
    });

    test('five applications at once record one', async () => {
      const borrower = await applicant();
      const answers = await Promise.all(Array.from({ length: 5 }, () => call(APPLY, {}, borrower.token)));
      assert.equal(answers.filter((response) => response.errors === undefined).length, 1);
      assert.deepEqual(
        answers.filter((response) => response.errors !== undefined).map((response) => errorCodes(response)[0]),
        ['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT'],
      );
      assert.equal(await forkEntityManager(users.orm).count(CreditApplication, { userId: borrower.id }), 1);
    });

    test('the callback refuses unsigned, tampered, replayed and unknown answers; out of order is kept, not applied', async () => {
      const borrower = await applicant();
      const application = await apply(borrower.token);
      const early = signed(answer(application.id));
      assert.equal(await notify({ ...early, signature: 'AAAA' }), 401, 'bad signature');
      assert.equal(await notify({ ...early, signature: undefined }), 401, 'unsigned');
      const tampered = signed(answer(application.id, { limitFen: '20000000' }));
      assert.equal(await notify({ ...tampered, data: early.data }), 401, 'tampered');
      assert.equal(await notify(signed(answer(newId()))), 404, 'unknown application');
      assert.equal(await notify(signed(answer(application.id, { limitFen: '0' }))), 400, 'an approval without a limit');
      // Out of order: an answer before the review is stored, but the application waits for its review.
      assert.equal(await notify(early), 200);
      assert.equal(await notify(early), 401, 'replayed');
      const ignored = await eventually(async () => {
        const rows = await reports(application.id);
        return rows.length === 1 ? rows[0] : undefined;
      });
      assert.equal(ignored.outcome, 'IGNORED');
      assert.equal((await applicationAs(borrower.token)).edges[0].node.status, 'SUBMITTED');
      // The same answer again in a new message (the provider retrying) is stored once.
      const earlyAnswer = JSON.parse(Buffer.from(early.data, 'base64').toString('utf8')) as object;
      assert.equal(await notify(signed(earlyAnswer)), 200);
      dataOf(await review(application.id, true));
      const decided = await settled(borrower.token);
      assert.equal(decided.status, 'APPROVED');
      const stored = await reports(application.id);
      assert.deepEqual(stored.map((report) => report.outcome).sort(), ['IGNORED', 'SETTLED']);
    });

    test('a provider down keeps the application RISK_PENDING, asked again until it answers', async () => {
      const borrower = await applicant();
      const application = await apply(borrower.token);
      risk.setOutage(60_000);
      dataOf(await review(application.id, true));
      await eventually(async () => {
        const [latest] = (await applicationAs(borrower.token)).edges;
        return latest.node.asksSent >= 3 ? true : undefined;
      });
      assert.equal((await applicationAs(borrower.token)).edges[0].node.status, 'RISK_PENDING');
      const pending = await call('{ creditApplications(status: RISK_PENDING) { totalCount } }', {}, adminToken);
      assert.ok(dataOf(pending).creditApplications.totalCount >= 1);
      risk.setOutage(0);
      const decided = await settled(borrower.token);
      assert.equal(decided.status, 'APPROVED');
      assert.equal((await reports(application.id)).length, 1, 'one answer, however many asks');
    });
  });
}
