import { addDays, assert } from '@wanxin/platform';

// The business clock in production (BUSINESS_CLOCK=auto): due dates are calendar days where the platform
// does business (Asia/Shanghai by default), and the daily run for a day starts at DAILY_RUN_AT there
// ("每天凌晨1点"). Before that time the business date is still the day before.

export const RUN_AT_PATTERN = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The calendar date and time of day (YYYY-MM-DD, HH:MM) at `instant` in `timeZone`. */
export function localDateTime(instant: Date, timeZone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((candidate) => candidate.type === type)!.value;
  return { date: `${part('year')}-${part('month')}-${part('day')}`, time: `${part('hour')}:${part('minute')}` };
}

/** The business date the clock should have reached at `instant`: today once `runAt` has passed, else yesterday. */
export function scheduledBusinessDate(instant: Date, timeZone: string, runAt: string): string {
  assert(RUN_AT_PATTERN.test(runAt), `the daily run time is HH:MM, got ${runAt}`);
  const { date, time } = localDateTime(instant, timeZone);
  return time >= runAt ? date : addDays(date, -1);
}
