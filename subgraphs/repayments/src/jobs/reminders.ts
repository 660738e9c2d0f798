import { addDays, assert, businessTimestamp, publishEvent, type EntityManager } from '@wanxin/platform';
import { ReminderDue, type ReminderDuePayload } from '@wanxin/platform/contracts';
import {
  FIRST_REMINDER_OVERDUE_DAYS,
  overdueRemindersEarned,
  isSmsReminder,
  reminderChannel,
  DUE_SOON_DAYS_AHEAD,
  type ReminderKind,
} from '../domain/reminders';
import { Installment } from '../entities/installment.entity';
import { Reminder } from '../entities/reminder.entity';
import { RepaymentLoan } from '../entities/repayment-loan.entity';

/** Installments looked at per page. */
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
    (await em.fork().find(Reminder, { installmentId: { $in: ids } }, { fields: ['installmentId', 'kind'] })).map(
      (reminder) => `${reminder.installmentId}:${reminder.kind}`,
    ),
  );
  const loanIds = [...new Set(installments.map((row) => row.loanId))];
  const loans = new Map(
    (await em.fork().find(RepaymentLoan, { id: { $in: loanIds } }, { fields: ['id', 'borrowerId', 'loanNo'] })).map(
      (loan) => [loan.id, loan],
    ),
  );
  const missing = installments.flatMap((installment) => {
    const kinds: ReminderKind[] =
      installment.status === 'PENDING' ? ['DUE_SOON_SMS'] : overdueRemindersEarned(installment.overdueDays);
    return kinds.filter((kind) => !existing.has(`${installment.id}:${kind}`)).map((kind) => ({ installment, kind }));
  });
  if (missing.length === 0) return 0;
  // Handed over as they are made: SMS reminders to users (which holds the mobiles) by an event in the
  // same transaction, staff tasks to the collection workbench.
  const sentAt = businessTimestamp(day, now);
  await em.fork().transactional(async (tx) => {
    for (const { installment, kind } of missing) {
      const loan = loans.get(installment.loanId);
      assert(loan !== undefined, `installment ${installment.id}'s loan is known to repayments`);
      const reminder = tx.create(Reminder, {
        installmentId: installment.id,
        loanId: installment.loanId,
        borrowerId: loan.borrowerId,
        kind,
        channel: reminderChannel(kind),
        businessDate: day,
        createdAt: now,
        sentAt,
      });
      // The borrower's stream, not the loan's: the loan's own events never wait behind an SMS.
      if (isSmsReminder(kind))
        publishEvent(tx, ReminderDue, loan.borrowerId, reminderDue(reminder, loan, installment), now);
    }
  });
  return missing.length;
}

function reminderDue(
  reminder: Reminder,
  loan: Pick<RepaymentLoan, 'id' | 'borrowerId' | 'loanNo'>,
  installment: Installment,
): ReminderDuePayload {
  assert(isSmsReminder(reminder.kind), `${reminder.kind} is not sent by SMS`);
  return {
    reminderId: reminder.id,
    kind: reminder.kind,
    borrowerId: loan.borrowerId,
    loanId: loan.id,
    loanNo: loan.loanNo,
    installmentId: installment.id,
    period: installment.period,
    dueDate: installment.dueDate,
    owedFen: (installment.principalFen + installment.interestFen + installment.penaltyFen).toString(),
    overdueDays: installment.overdueDays,
  };
}
