// Proves the collection reminders' rules (domain/reminders.ts, domain.md §2 step 11): the due-soon SMS
// goes out 2 calendar days before the due date (across month, year and leap-day boundaries, and the same
// day the daily job's "due 2 days later" lookup finds); an overdue installment has earned the SMS from
// day 1, the staff phone task from day 3 and the emergency contact from day 30, cumulatively; each kind
// has its channel; a negative or fractional day count is a broken invariant.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays, AssertionError } from '@wanxin/platform';
import {
  DUE_SOON_DAYS_AHEAD,
  dueSoonReminderDate,
  FIRST_REMINDER_OVERDUE_DAYS,
  overdueRemindersEarned,
  REMINDER_KINDS,
  reminderChannel,
} from '../src/domain/reminders';

describe('the due-soon SMS', () => {
  it('goes out 2 days before the due date', () => {
    assert.equal(DUE_SOON_DAYS_AHEAD, 2);
    assert.equal(dueSoonReminderDate('2026-05-31'), '2026-05-29');
    assert.equal(dueSoonReminderDate('2026-04-01'), '2026-03-30');
    assert.equal(dueSoonReminderDate('2027-01-01'), '2026-12-30');
    assert.equal(dueSoonReminderDate('2026-03-01'), '2026-02-27');
    assert.equal(dueSoonReminderDate('2028-03-01'), '2028-02-28', '2028-02-29 exists');
    assert.equal(dueSoonReminderDate('2028-03-02'), '2028-02-29');
  });

  it('is the day on which the daily job finds the installment due 2 days later', () => {
    const dueDates = fc.integer({ min: 0, max: 100 * 366 }).map((offset) => addDays('2000-01-01', offset));
    fc.assert(
      fc.property(dueDates, (dueDate) =>
        assert.equal(addDays(dueSoonReminderDate(dueDate), DUE_SOON_DAYS_AHEAD), dueDate),
      ),
      { numRuns: 500 },
    );
  });

  it('refuses a date that is not a calendar day', () => {
    assert.throws(() => dueSoonReminderDate('2026-02-30'), AssertionError);
  });
});

describe('collection reminders earned', () => {
  const EXPECTED: [number, string[]][] = [
    [0, []],
    [1, ['OVERDUE_SMS']],
    [2, ['OVERDUE_SMS', 'OVERDUE_REMINDER_SMS']],
    [3, ['OVERDUE_SMS', 'OVERDUE_REMINDER_SMS', 'OVERDUE_PHONE_TASK']],
    [29, ['OVERDUE_SMS', 'OVERDUE_REMINDER_SMS', 'OVERDUE_PHONE_TASK']],
    [30, ['OVERDUE_SMS', 'OVERDUE_REMINDER_SMS', 'OVERDUE_PHONE_TASK', 'EMERGENCY_CONTACT']],
    [31, ['OVERDUE_SMS', 'OVERDUE_REMINDER_SMS', 'OVERDUE_PHONE_TASK', 'EMERGENCY_CONTACT']],
    [3_650, ['OVERDUE_SMS', 'OVERDUE_REMINDER_SMS', 'OVERDUE_PHONE_TASK', 'EMERGENCY_CONTACT']],
  ];

  it('accumulate: SMS on days 1 and 2, phone task from day 3, emergency contact from day 30', () => {
    for (const [overdueDays, kinds] of EXPECTED)
      assert.deepEqual(overdueRemindersEarned(overdueDays), kinds, `day ${overdueDays}`);
  });

  it('start at the day the daily job starts looking', () => {
    assert.equal(FIRST_REMINDER_OVERDUE_DAYS, 1);
    assert.deepEqual(overdueRemindersEarned(FIRST_REMINDER_OVERDUE_DAYS - 1), []);
    assert.notDeepEqual(overdueRemindersEarned(FIRST_REMINDER_OVERDUE_DAYS), []);
  });

  it('never include the due-soon SMS', () => {
    for (let overdueDays = 0; overdueDays <= 40; overdueDays += 1)
      assert.ok(!overdueRemindersEarned(overdueDays).includes('DUE_SOON_SMS'));
  });

  it('refuse a negative or fractional day count', () => {
    assert.throws(() => overdueRemindersEarned(-1), AssertionError);
    assert.throws(() => overdueRemindersEarned(1.5), AssertionError);
    assert.throws(() => overdueRemindersEarned(Number.NaN), AssertionError);
  });
});

describe('reminder channels', () => {
  it('send SMS for the due-soon and the two first overdue reminders, a staff task for the call, and the emergency contact last', () => {
    assert.deepEqual(
      REMINDER_KINDS.map((kind) => [kind, reminderChannel(kind)]),
      [
        ['DUE_SOON_SMS', 'SMS'],
        ['OVERDUE_SMS', 'SMS'],
        ['OVERDUE_REMINDER_SMS', 'SMS'],
        ['OVERDUE_PHONE_TASK', 'STAFF_TASK'],
        ['EMERGENCY_CONTACT', 'EMERGENCY_CONTACT'],
      ],
    );
  });

  it('refuse a kind outside the union', () => {
    assert.throws(() => reminderChannel('LETTER' as never), AssertionError);
  });
});
