import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import {
  connectionType,
  findPage,
  forkEntityManager,
  MoneyScalar,
  PageArgs,
  requireOwnerOrAdmin,
  requireViewer,
  type Connection,
  type SubgraphContext,
} from '@wanxin/platform';
import { claimIdNumber, findOrCreateAccount } from '../agent/account-rows';
import type { BankRedirectForm } from '../agent/bank-client';
import { refreshBalance } from '../agent/bank-results';
import { currentBusinessDate } from '../agent/business-date';
import { supersedeOpening } from '../agent/supersede-opening';
import { fenText } from '@wanxin/platform/bank-protocol';
import { DepositoryErrors } from '../domain/errors';
import { newRequestNo } from '../domain/depository-request';
import type { DepositoryStatus } from '../domain/account-status';
import { openAccountProblem, openingStep } from '../domain/open-account';
import { DepositoryAccount } from '../entities/depository-account.entity';
import { DepositoryRequest } from '../entities/depository-request.entity';
import type { DepositoryServices } from '../services';
import { BankRedirectNode } from './bank-redirect.type';
import { DepositoryTransactionNode } from './depository-transaction.type';
import { OpenAccountInput } from './open-account.input';

type Context = SubgraphContext<DepositoryServices>;

const DepositoryTransactionConnection = connectionType('DepositoryTransaction', DepositoryTransactionNode);

/** The user's opened account, or CONFLICT; money moves only through an opened account. */
async function openedAccount(context: Context): Promise<DepositoryAccount> {
  const viewer = requireViewer(context);
  const account = await context.em.findOne(DepositoryAccount, { userId: viewer.id });
  if (account?.status !== 'OPENED') throw DepositoryErrors.notOpened(account?.status ?? 'MISSING');
  return account;
}

function positiveAmount(amountFen: bigint): bigint {
  if (amountFen <= 0n) throw DepositoryErrors.amountNotPositive();
  return amountFen;
}

/** Records the page request UNSYNC on today's business date; returns that date, the form's `accountingDate`. */
async function recordRequest(
  context: Context,
  fields: { requestNo: string; serviceName: string; amountFen?: bigint },
): Promise<string> {
  const viewer = requireViewer(context);
  const businessDate = await currentBusinessDate(context.em);
  const row = { ...fields, businessDate, userId: viewer.id, status: 'UNSYNC' as const };
  await context.em.insert(context.em.create(DepositoryRequest, row, { persist: false }));
  return businessDate;
}

@Resolver()
export class DepositoryResolver {
  @Authorized('BORROWER', 'INVESTOR')
  @Mutation(() => BankRedirectNode, {
    description:
      'Starts opening the depository account; the user completes it on the bank’s page. Called again while PENDING, ' +
      'it replaces the unfinished page with a fresh one: the earlier page can no longer open the account.',
  })
  async openDepositoryAccount(
    @Arg('input', () => OpenAccountInput, { description: "The holder's identity and the card to bind." })
    input: OpenAccountInput,
    @Ctx() context: Context,
  ): Promise<BankRedirectForm> {
    const problem = openAccountProblem(input);
    if (problem !== null) throw DepositoryErrors.invalidField(problem.field, problem.reason);
    const viewer = requireViewer(context);
    const account = await findOrCreateAccount(context.em, viewer.id);
    const step = openingStep(account.status);
    if (step === 'REFUSE') throw DepositoryErrors.cannotOpen(account.status);
    const requestNo = newRequestNo('PERSONAL_REGISTER');
    const accountingDate = await currentBusinessDate(context.em);
    if (step === 'SUPERSEDE')
      await supersedeOpening(context.services, account, { requestNo, accountingDate }, input.idNumber);
    else
      await context.em.transactional(async (em) => {
        // Conditional: of two concurrent attempts one moves the account to PENDING, the other is refused.
        const startable = { id: account.id, status: { $in: ['NOT_OPENED', 'FAILED'] as DepositoryStatus[] } };
        const moved = await claimIdNumber(() =>
          em.nativeUpdate(DepositoryAccount, startable, { status: 'PENDING', idNumber: input.idNumber }),
        );
        if (moved === 0) throw DepositoryErrors.cannotOpen('PENDING');
        await em.insert(
          em.create(
            DepositoryRequest,
            {
              requestNo,
              serviceName: 'PERSONAL_REGISTER',
              businessDate: accountingDate,
              userId: viewer.id,
              status: 'UNSYNC',
            },
            { persist: false },
          ),
        );
      });
    return context.services.bank.redirect('PERSONAL_REGISTER', {
      requestNo,
      accountingDate,
      userNo: account.userNo,
      ...input,
    });
  }

  // Admins never hold an account: FORBIDDEN, as for openDepositoryAccount, not 'open it first'.
  @Authorized('BORROWER', 'INVESTOR')
  @Mutation(() => BankRedirectNode, {
    description: 'Moves money from the bound card into the depository account, on the bank’s page.',
  })
  async recharge(
    @Arg('amount', () => MoneyScalar, { description: 'The amount to move in; positive.' }) amount: bigint,
    @Ctx() context: Context,
  ): Promise<BankRedirectForm> {
    const amountFen = positiveAmount(amount);
    const account = await openedAccount(context);
    const requestNo = newRequestNo('RECHARGE');
    const accountingDate = await recordRequest(context, { requestNo, serviceName: 'RECHARGE', amountFen });
    return context.services.bank.redirect('RECHARGE', {
      requestNo,
      accountingDate,
      userNo: account.userNo,
      amountFen: fenText(amountFen),
    });
  }

  // Admins never hold an account: FORBIDDEN, as for openDepositoryAccount, not 'open it first'.
  @Authorized('BORROWER', 'INVESTOR')
  @Mutation(() => BankRedirectNode, {
    description: 'Moves money from the depository account to the bound card, on the bank’s page.',
  })
  async withdraw(
    @Arg('amount', () => MoneyScalar, {
      description: 'The amount to move out; positive, at most the available balance.',
    })
    amount: bigint,
    @Ctx() context: Context,
  ): Promise<BankRedirectForm> {
    const amountFen = positiveAmount(amount);
    const account = await openedAccount(context);
    // Checked against a fresh balance so the user is told now; the bank checks again when they submit.
    await refreshBalance(context.services.orm, context.services.bank, account.userId, context.services.logger);
    // A fresh read, not em.refresh(): on MySQL refresh hydrates BIGINT columns as strings (MikroORM 6).
    const current = await forkEntityManager(context.services.orm).findOneOrFail(DepositoryAccount, { id: account.id });
    const availableFen = current.balanceFen;
    if (amountFen > availableFen) throw DepositoryErrors.insufficientFunds(availableFen);
    const requestNo = newRequestNo('WITHDRAW');
    const accountingDate = await recordRequest(context, { requestNo, serviceName: 'WITHDRAW', amountFen });
    return context.services.bank.redirect('WITHDRAW', {
      requestNo,
      accountingDate,
      userNo: account.userNo,
      amountFen: fenText(amountFen),
    });
  }

  @Query(() => DepositoryTransactionConnection, {
    description: 'Bank instructions about a user, newest first: the user themself (default) or an admin.',
  })
  depositoryTransactions(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('userId', () => ID, {
      nullable: true,
      description: 'Whose instructions; default the signed-in user (another user: admins only).',
    })
    userId: string | null | undefined,
    @Ctx() context: Context,
  ): Promise<Connection<DepositoryRequest>> {
    const subject = userId ?? requireViewer(context).id;
    requireOwnerOrAdmin(context, subject, "a user's depository transactions");
    return findPage(context.em, DepositoryRequest, { userId: subject }, page);
  }
}
