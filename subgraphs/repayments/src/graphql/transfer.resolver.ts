import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  CommonErrors,
  findPage,
  isId,
  MoneyScalar,
  PageArgs,
  requireRole,
  type Connection,
  type SubgraphContext,
} from '@wanxin/platform';
import type { TransferStatus } from '../domain/transfer';
import { Transfer } from '../entities/transfer.entity';
import { buyTransfer } from '../operations/buy-transfer';
import { cancelTransfer, listTransfer } from '../operations/list-transfer';
import type { RepaymentsServices } from '../services';
import { BidReference } from './external/bid';
import { UserReference } from './external/user';
import { TransferConnection } from './transfer-connection.type';
import { shownTransferStatus, TransferStatusEnum, type TransferStatusShown } from './transfer-status.enum';
import { TransferNode } from './transfer.type';

type Context = SubgraphContext<RepaymentsServices>;

/** Who trades on the market and who may read it. */
const MARKET_ROLES = ['INVESTOR', 'ADMIN'] as const;

@ArgsType()
class TransfersArgs extends PageArgs {
  @Field(() => TransferStatusEnum, { nullable: true, description: 'Only transfers in this status; all when absent.' })
  status?: TransferStatusShown | null;
}

/** The claim-transfer market (债权转让): list, cancel and buy holdings; read the market. */
@Resolver(() => TransferNode)
export class TransferResolver {
  @Mutation(() => TransferNode, {
    description:
      'INVESTOR: offers the whole holding of a LOANED bid they hold (of a REPAYING loan, nothing overdue, held TRANSFER_HOLD_DAYS business days since the payout) at `price`, within TRANSFER_PRICE_MIN_RATIO–MAX_RATIO of its outstanding principal plus the interest accrued since the last due date (ACT/365); the fee is round-half-up(price × TRANSFER_FEE_RATE). One open listing per bid.',
  })
  listTransfer(
    @Arg('bidId', () => ID, { description: 'A LOANED bid the signed-in investor holds.' }) bidId: string,
    @Arg('price', () => MoneyScalar, { description: 'What the buyer pays: more than 0, at most two decimals.' })
    priceFen: bigint,
    @Ctx() context: Context,
  ): Promise<Transfer> {
    const seller = requireRole(context, ['INVESTOR']);
    if (!isId(bidId)) throw CommonErrors.notFound('Bid', bidId);
    const { em, services } = context;
    return listTransfer(em, services.settings.transfers, seller.id, bidId, priceFen, new Date());
  }

  @Mutation(() => TransferNode, { description: 'INVESTOR: its seller takes a LISTED transfer off the market.' })
  cancelTransfer(
    @Arg('id', () => ID, { description: "The signed-in investor's LISTED transfer." }) id: string,
    @Ctx() context: Context,
  ): Promise<Transfer> {
    const seller = requireRole(context, ['INVESTOR']);
    if (!isId(id)) throw CommonErrors.notFound('Transfer', id);
    return cancelTransfer(context.em, seller.id, id, new Date());
  }

  @Mutation(() => TransferNode, {
    description:
      "INVESTOR (not its seller): buys a LISTED transfer at its price, atomically at the bank (CREDIT_ASSIGNMENT): every receivable of the holding not yet RECEIVED is then the buyer's. Too little money is INSUFFICIENT_FUNDS; someone else buying it at the same moment CONFLICT.",
  })
  buyTransfer(
    @Arg('id', () => ID, { description: 'A LISTED transfer of another investor.' }) id: string,
    @Ctx() context: Context,
  ): Promise<Transfer> {
    const buyer = requireRole(context, ['INVESTOR']);
    if (!isId(id)) throw CommonErrors.notFound('Transfer', id);
    return buyTransfer(context.em, context.services.bank, buyer.id, id, new Date());
  }

  @Query(() => TransferConnection, { description: 'INVESTOR or ADMIN: the market, newest first, by status if asked.' })
  transfers(@Args(() => TransfersArgs) args: TransfersArgs, @Ctx() context: Context): Promise<Connection<Transfer>> {
    requireRole(context, MARKET_ROLES);
    const status = args.status ?? null;
    // SELLING shows as LISTED: a listing a buyer is paying for is still on the market until the bank answers.
    const statuses: TransferStatus[] = status === 'LISTED' ? ['LISTED', 'SELLING'] : status === null ? [] : [status];
    return findPage(context.em, Transfer, statuses.length === 0 ? {} : { status: { $in: statuses } }, args);
  }

  @Query(() => TransferNode, { nullable: true, description: 'INVESTOR or ADMIN: one transfer; null when unknown.' })
  async transfer(
    @Arg('id', () => ID, { description: "The transfer's id." }) id: string,
    @Ctx() context: Context,
  ): Promise<Transfer | null> {
    requireRole(context, MARKET_ROLES);
    if (!isId(id)) return null;
    return context.loaders.byId(Transfer).load(id);
  }

  @FieldResolver(() => TransferStatusEnum, { description: 'Where it stands on the market.' })
  status(@Root() transfer: Transfer): TransferStatusShown {
    return shownTransferStatus(transfer.status);
  }

  @FieldResolver(() => BidReference, { description: 'The bid whose holding is offered.' })
  bid(@Root() transfer: Transfer): BidReference {
    return { id: transfer.bidId };
  }

  @FieldResolver(() => UserReference, { description: 'The investor who listed it.' })
  seller(@Root() transfer: Transfer): UserReference {
    return { id: transfer.sellerId };
  }

  @FieldResolver(() => UserReference, { nullable: true, description: 'The investor who bought it, once SOLD.' })
  buyer(@Root() transfer: Transfer): UserReference | null {
    return transfer.status === 'SOLD' && transfer.buyerId !== null ? { id: transfer.buyerId } : null;
  }
}
