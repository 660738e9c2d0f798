// Proves the automatic business clock's calendar (src/domain/business-calendar.ts): the business date is
// the platform's calendar day in BUSINESS_TIMEZONE once DAILY_RUN_AT has passed there, the day before until
// then — Chinese calendar days, not UTC ones.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isKnownTimeZone, localDateTime, scheduledBusinessDate } from '../src/domain/business-calendar';

describe('the business calendar', () => {
  it('reads the calendar day and time in the zone, not in UTC', () => {
    assert.deepEqual(localDateTime(new Date('2026-12-04T16:30:00Z'), 'Asia/Shanghai'), {
      date: '2026-12-05',
      time: '00:30',
    });
    assert.deepEqual(localDateTime(new Date('2026-12-04T16:30:00Z'), 'UTC'), { date: '2026-12-04', time: '16:30' });
  });

  it('reaches a day at 01:00 in Shanghai: 16:59 UTC is still the day before, 17:00 UTC the next day', () => {
    assert.equal(scheduledBusinessDate(new Date('2026-12-04T16:59:59Z'), 'Asia/Shanghai', '01:00'), '2026-12-04');
    assert.equal(scheduledBusinessDate(new Date('2026-12-04T17:00:00Z'), 'Asia/Shanghai', '01:00'), '2026-12-05');
    assert.equal(scheduledBusinessDate(new Date('2026-12-31T17:00:00Z'), 'Asia/Shanghai', '01:00'), '2027-01-01');
  });

  it('follows the configured time and zone', () => {
    assert.equal(scheduledBusinessDate(new Date('2026-12-05T05:29:00Z'), 'UTC', '05:30'), '2026-12-04');
    assert.equal(scheduledBusinessDate(new Date('2026-12-05T05:30:00Z'), 'UTC', '05:30'), '2026-12-05');
    assert.equal(scheduledBusinessDate(new Date('2026-03-01T00:30:00Z'), 'UTC', '00:00'), '2026-03-01');
  });

  it('refuses an unknown zone and a malformed time', () => {
    assert.equal(isKnownTimeZone('Asia/Shanghai'), true);
    assert.equal(isKnownTimeZone('Mars/Olympus_Mons'), false);
    for (const runAt of ['1:00', '24:00', '01:60', 'noon'])
      assert.throws(() => scheduledBusinessDate(new Date(), 'UTC', runAt), /HH:MM/);
  });
});
