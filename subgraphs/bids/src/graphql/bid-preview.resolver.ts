import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { MoneyScalar, type SubgraphContext } from '@wanxin/platform';
import { previewInterestFen } from '../operations/preview-interest';
import type { BidsServices } from '../services';
import { BidPreviewNode } from './bid-preview.type';

type Context = SubgraphContext<BidsServices>;

@Resolver(() => BidPreviewNode)
export class BidPreviewResolver {
  /** A field resolver: the split reads every counted bid, so a preview that does not ask for it does not pay. */
  @FieldResolver(() => MoneyScalar, {
    nullable: true,
    description:
      'Interest the bid of `amount` would be paid over the term: Σ interest of its receivables, ' +
      "split from the borrower's schedule as at payout (the investor rate's part), as if paid out on the " +
      'current business date. Exact to the fen for the loan as it stands: its bids so far, this one, and the ' +
      'rest raised by one more bid; later bids can move it by a fen (largest-remainder rounding). Null ' +
      'without an amount or when more than remains is asked.',
  })
  async expectedInterest(@Root() preview: BidPreviewNode, @Ctx() context: Context): Promise<bigint | null> {
    const { funding, method, amountFen, now } = preview.interestQuery;
    if (amountFen === null) return null;
    return previewInterestFen(context.em, funding, method, amountFen, now);
  }
}
