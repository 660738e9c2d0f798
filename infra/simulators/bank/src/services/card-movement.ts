import { formatMoney, maskCardNumber, newId } from '@wanxin/platform';
import { BankRefusals, succeeded, withPostings, type Outcome } from '../domain/outcomes';
import type { RequestFields } from '../domain/request-fields';
import type { BankUser } from '../entities/bank-user.entity';
import { fenText } from '@wanxin/platform/bank-protocol';
import { applyTransfers } from './ledger-store';
import { outcomeOfLedgerRefusal } from './ledger-refusals';
import { userByNo } from './lookups';
import type { ServiceContext } from './runtime';
import type { PageLine, PageService } from './service-types';

/** RECHARGE and WITHDRAW: one POSTED transfer between a user's card and their depository account. */
export interface CardMovementCommand {
  userNo: string;
  amountFen: bigint;
}

export function parseCardMovement(fields: RequestFields): CardMovementCommand {
  return { userNo: fields.reference('userNo'), amountFen: fields.amountFen('amountFen', 'positive') };
}

export function describeCardMovement(command: CardMovementCommand, holder: BankUser | null): PageLine[] {
  return [
    { label: 'Account', value: command.userNo },
    { label: 'Card', value: holder === null ? 'unknown' : `${holder.bankCode} ${maskCardNumber(holder.cardNumber)}` },
    { label: 'Amount', value: `¥${formatMoney(command.amountFen)}` },
  ];
}

type CardDirection = 'CARD_TO_ACCOUNT' | 'ACCOUNT_TO_CARD';

/** The page service that moves a user's money between their bound card and their account, after their password. */
export function cardMovementService(title: string, direction: CardDirection): PageService<CardMovementCommand> {
  return {
    title,
    passwordMode: 'CHECK',
    parse: parseCardMovement,
    describe: describeCardMovement,
    execute: (context, command) => moveBetweenCardAndAccount(context, command, direction),
  };
}

async function moveBetweenCardAndAccount(
  context: ServiceContext,
  command: CardMovementCommand,
  direction: CardDirection,
): Promise<Outcome> {
  const user = await userByNo(context.tx, command.userNo);
  if (user === null) return BankRefusals.userNotFound(command.userNo);
  const [debitAccountId, creditAccountId] =
    direction === 'CARD_TO_ACCOUNT' ? [user.cardAccountId, user.accountId] : [user.accountId, user.cardAccountId];
  const moved = await applyTransfers(
    context.tx,
    [{ kind: 'POSTED', id: newId(), debitAccountId, creditAccountId, amountFen: command.amountFen }],
    context.requestNo,
  );
  if (!moved.applied) return outcomeOfLedgerRefusal(moved.refusal, moved.account);
  return withPostings(succeeded({ userNo: command.userNo, amountFen: fenText(command.amountFen) }), moved.postings);
}
