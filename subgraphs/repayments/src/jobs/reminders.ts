import { addDays, businessTimestamp, type EntityManager, type Logger } from '@wanxin/platform';
import {
  FIRST_REMINDER_OVERDUE_DAYS,
  overdueRemindersEarned,
  reminderChannel,
  DUE_SOON_DAYS_AHEAD,
  type ReminderKind,
} from '../domain/reminders';
import { Installment } from '../entities/installment.entity';
import { Reminder } from '../entities/reminder.entity';
import { RepaymentLoan } from '../entities/repayment-loan.entity';
import type { ReminderProvider } from '../operations/reminder-provider';

/** Installments looked at per page, and reminders sent per batch. */
export const REMINDER_PAGE_MAX = 500;

/**
 * The reminders `day` calls for (domain.md §2 step 11): a due-soon SMS for each installment due
 * 2 days later, and for each overdue one the collection reminders its overdue days have earned. The unique
 * key (installment, kind) makes each reminder exist once, however often the day is run.
 */
export async function createReminders(em: EntityManager, day: string, now: Date): Promise<number> {
  let created = 0;
  const dueSoonDate = addDays(day, DUE_SOON_DAYS_AHEAD);
  for (let afterId = ''; ;) {
    const page = await em.fork().find(
      Installment,
      {
        $or: [
          { status: 'PENDING', dueDate: dueSoonDate },
          { status: 'OVERDUE', overdueDays: { $gte: FIRST_REMINDER_OVERDUE_DAYS } },
        ],
        id: { $gt: afterId },
      },
      { orderBy: { id: 'asc' }, limit: REMINDER_PAGE_MAX },
    );
    created += await createMissing(em, page, day, now);
    if (page.length < REMINDER_PAGE_MAX) return created;
    afterId = page[page.length - 1].id;
  }
}

async function createMissing(em: EntityManager, installments: Installment[], day: string, now: Date): Promise<number> {
  if (installments.length === 0) return 0;
  const ids = installments.map((installment) => installment.id);
  const existing = new Set(
    (await em.fork().find(Reminder, { installmentId: { $in: ids } })).map(
      (reminder) => `${reminder.installmentId}:${reminder.kind}`,
    ),
  );
  const borrowers = new Map(
    (await em.fork().find(RepaymentLoan, { id: { $in: [...new Set(installments.map((row) => row.loanId))] } })).map(
      (loan) => [loan.id, loan.borrowerId],
    ),
  );
  const missing = installments.flatMap((installment) => {
    const kinds: ReminderKind[] =
      installment.status === 'PENDING' ? ['DUE_SOON_SMS'] : overdueRemindersEarned(installment.overdueDays);
    return kinds.filter((kind) => !existing.has(`${installment.id}:${kind}`)).map((kind) => ({ installment, kind }));
  });
  if (missing.length === 0) return 0;
  const fork = em.fork();
  await fork.insertMany(
    Reminder,
    missing.map(({ installment, kind }) =>
      fork.create(
        Reminder,
        {
          installmentId: installment.id,
          loanId: installment.loanId,
          borrowerId: borrowers.get(installment.loanId)!,
          kind,
          channel: reminderChannel(kind),
          businessDate: day,
          createdAt: now,
        },
        { persist: false },
      ),
    ),
  );
  return missing.length;
}

/**
 * Hands every unsent reminder to the provider; one that fails stays unsent for the next run. `sentAt` is a
 * business timestamp: the reminder's business day with the wall clock's time of day.
 */
export async function sendReminders(em: EntityManager, provider: ReminderProvider, logger: Logger): Promise<number> {
  let sent = 0;
  for (let afterId = ''; ;) {
    const batch = await em
      .fork()
      .find(Reminder, { sentAt: null, id: { $gt: afterId } }, { orderBy: { id: 'asc' }, limit: REMINDER_PAGE_MAX });
    for (const reminder of batch) {
      try {
        await provider.send(reminder);
        await em
          .fork()
          .nativeUpdate(
            Reminder,
            { id: reminder.id, sentAt: null },
            { sentAt: businessTimestamp(reminder.businessDate, new Date()) },
          );
        sent += 1;
      } catch (error) {
        logger.warn({ err: error, reminderId: reminder.id }, 'reminder not sent; the next run tries again');
      }
    }
    if (batch.length < REMINDER_PAGE_MAX) return sent;
    afterId = batch[batch.length - 1].id;
  }
}
