import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { Bid } from '../entities/bid.entity';
import { BidNode } from './bid.type';
import { LoanReference } from './external/loan';
import { FundingNode } from './funding.type';

/**
 * What the gateway's `loanFunding` subscription pushes. The gateway feeds the key from an event (the
 * loan's id, or `<loanId>:<bidId>` after an accepted bid) and this subgraph resolves the rest.
 */
@Directive('@key(fields: "id")')
@ObjectType('FundingEvent', {
  description: "What the loanFunding subscription pushes: the loan's funding after a bid or a status change.",
})
export class FundingEventNode {
  @Field(() => ID, { description: 'The loan id, or `<loanId>:<bidId>` after an accepted bid.' })
  id!: string;

  @Field(() => LoanReference, { description: 'The loan the event is about.' })
  loan!: LoanReference;

  @Field(() => FundingNode, { description: "The loan's funding as it stands when the event is delivered." })
  funding!: FundingNode;

  @Field(() => BidNode, {
    nullable: true,
    description: 'The accepted bid that caused the event; null on a status change.',
  })
  lastBid!: Bid | null;
}
