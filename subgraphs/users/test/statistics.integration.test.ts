// Proves users' part of the admins' statistics on libsql and MariaDB: `users.user.registered` adds one new
// user to its business date's row, once however often a message is delivered; eight at once on one day all
// count (the atomic +=); a payload without businessDate (an older publisher) counts on the latest day users
// heard of (`repayments.business-date.advanced`); a real registration stores its business date and the
// read model agrees with a recount; `StatisticsRow` references answer DAY and MONTH keys for admins only.
// Shortcut, said plainly: the events are handed to users on the in-process transport, not RabbitMQ.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forkEntityManager, newId, resolveJwtKeys, type Database } from '@wanxin/platform';
import type { HttpService } from '@wanxin/platform';
import { BusinessDateAdvanced, UserRegistered } from '@wanxin/platform/contracts';
import {
  checkStatisticsReferences,
  createTestEnvironment,
  databaseKindsUnderTest,
  dataOf,
  deliverEvent,
  deliverTwice,
  eventually,
  statisticsTokens,
  type StatisticsTokens,
  type TestEnvironment,
} from '@wanxin/platform/testing';
import { StatisticsDay } from '../src/entities/statistics-day.entity';
import { User } from '../src/entities/user.entity';
import { callAsGateway, openUsersDatabase, startUsers } from './users-under-test';

const REGISTER = 'mutation($i: RegisterInput!) { register(input: $i) { user { id } } }';

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`users' statistics read model on ${kind}`, { skip }, () => {
    let environment: TestEnvironment;
    let service: HttpService;
    let orm: Database;
    let tokens: StatisticsTokens;
    const registered = (businessDate?: string) => ({
      type: UserRegistered.type,
      version: UserRegistered.version,
      aggregateId: newId(),
      payload: {
        userId: newId(),
        role: 'INVESTOR',
        registeredAt: new Date().toISOString(),
        ...(businessDate === undefined ? {} : { businessDate }),
      },
    });

    before(async () => {
      environment = createTestEnvironment(kind);
      service = await startUsers(environment, { BUSINESS_DATE_START: '2031-03-29' });
      orm = await openUsersDatabase(environment);
      tokens = statisticsTokens(resolveJwtKeys(environment.config).privateKeyPem!);
    });
    after(async () => {
      await orm?.close(true);
      await service?.stop();
      await environment?.cleanup();
    });

    test('before any day is announced, registrations count on BUSINESS_DATE_START, as repayments starts', async () => {
      const { id } = dataOf(
        await callAsGateway(service, environment, '10.0.12.2', REGISTER, {
          i: { mobile: '13800000310', password: 'stats-pass-1', role: 'INVESTOR' },
        }),
      ).register.user;
      assert.equal((await forkEntityManager(orm).findOneOrFail(User, { id })).registeredBusinessDate, '2031-03-29');
      // Its event and the bootstrap admin's (created at start) travel through the outbox: both count there.
      await eventually(async () => {
        const day = await forkEntityManager(orm).findOne(StatisticsDay, { businessDate: '2031-03-29' });
        return day?.newUsers === 2n ? true : undefined;
      });
    });

    test('registrations count once each on their business date; DAY and MONTH keys; admins only', async () => {
      await deliverTwice(registered('2031-03-30'));
      await Promise.all(Array.from({ length: 8 }, () => deliverEvent(registered('2031-03-31'))));
      const day = { type: BusinessDateAdvanced.type, version: 1, aggregateId: 'business-date' };
      await deliverEvent({ ...day, payload: { date: '2031-04-02' } });
      await deliverTwice(registered());

      // A registration now stores the business date users knows, and its event says the same.
      const { id } = dataOf(
        await callAsGateway(service, environment, '10.0.12.2', REGISTER, {
          i: { mobile: '13800000311', password: 'stats-pass-1', role: 'BORROWER' },
        }),
      ).register.user;
      assert.equal((await forkEntityManager(orm).findOneOrFail(User, { id })).registeredBusinessDate, '2031-04-02');

      const rows = await checkStatisticsReferences(
        (query, variables, token) => callAsGateway(service, environment, '10.0.12.1', query, variables, token),
        tokens,
        'newUsers',
      );
      assert.deepEqual(
        rows.map((row) => [row.period, row.newUsers]),
        [
          ['2031-03-30', 1],
          ['2031-03-31', 8],
          ['2031-04-01', 0],
          ['2031-04-02', 2],
          ['2031-03', 11], // with the two of 2031-03-29 (the first test)
          ['2031-04', 2],
        ],
      );
      const recount = await forkEntityManager(orm).count(User, { registeredBusinessDate: '2031-04-02' });
      assert.equal(recount, 1, 'the one real registration (the events above were crafted)');
    });
  });
}
