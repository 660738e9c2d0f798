import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import {
  connectionType,
  findPage,
  MoneyScalar,
  PageArgs,
  requireOwnerOrAdmin,
  requireRole,
  requireViewer,
  type Connection,
  type SubgraphContext,
} from '@wanxin/platform';
import type { BankRedirectForm } from '../agent/bank-client';
import { DepositoryRequest } from '../entities/depository-request.entity';
import { openAccount } from '../operations/open-account';
import { recharge } from '../operations/recharge';
import { withdraw } from '../operations/withdraw';
import type { DepositoryServices } from '../services';
import { BankRedirectNode } from './bank-redirect.type';
import { DepositoryTransactionNode } from './depository-transaction.type';
import { OpenAccountInput } from './open-account.input';

type Context = SubgraphContext<DepositoryServices>;

const DepositoryTransactionConnection = connectionType('DepositoryTransaction', DepositoryTransactionNode);

// Admins never hold an account: moving money is FORBIDDEN to them, as opening one is, not 'open it first'.
const ACCOUNT_HOLDERS = ['BORROWER', 'INVESTOR'] as const;

@Resolver()
export class DepositoryResolver {
  @Mutation(() => BankRedirectNode, {
    description:
      'Starts opening the depository account; the user completes it on the bank’s page. Called again while PENDING, ' +
      'it replaces the unfinished page with a fresh one: the earlier page can no longer open the account.',
  })
  async openDepositoryAccount(
    @Arg('input', () => OpenAccountInput, { description: 'The card to bind; the holder is your verified identity.' })
    input: OpenAccountInput,
    @Ctx() context: Context,
  ): Promise<BankRedirectForm> {
    const holder = requireRole(context, ACCOUNT_HOLDERS);
    return openAccount(context.em, context.services, holder.id, input);
  }

  @Mutation(() => BankRedirectNode, {
    description: 'Moves money from the bound card into the depository account, on the bank’s page.',
  })
  async recharge(
    @Arg('amount', () => MoneyScalar, { description: 'The amount to move in; positive.' }) amount: bigint,
    @Ctx() context: Context,
  ): Promise<BankRedirectForm> {
    const holder = requireRole(context, ACCOUNT_HOLDERS);
    return recharge(context.em, context.services, holder.id, amount);
  }

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
    const holder = requireRole(context, ACCOUNT_HOLDERS);
    return withdraw(context.em, context.services, holder.id, amount);
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
