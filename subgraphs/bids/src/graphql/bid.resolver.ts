import { FieldResolver, Resolver, Root } from 'type-graphql';
import type { Bid } from '../entities/bid.entity';
import { LoanReference } from './external/loan';
import { UserReference } from './external/user';
import { BidNode } from './bid.type';

@Resolver(() => BidNode)
export class BidResolver {
  @FieldResolver(() => LoanReference, { description: 'The loan bid on.' })
  loan(@Root() bid: Bid): LoanReference {
    return { id: bid.loanId };
  }

  @FieldResolver(() => UserReference, {
    description: "Who bid; User's own rules say which of their fields the viewer sees in full.",
  })
  investor(@Root() bid: Bid): UserReference {
    return { id: bid.investorId };
  }

  @FieldResolver(() => Boolean, {
    description: "Whether the auto-invest engine placed it for the investor's rule (自动投标), not the investor.",
  })
  auto(@Root() bid: Bid): boolean {
    return bid.autoRuleId !== null;
  }
}
