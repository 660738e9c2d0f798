import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { assert, type SubgraphContext } from '@wanxin/platform';
import { Installment } from '../entities/installment.entity';
import type { Receivable } from '../entities/receivable.entity';
import type { RepaymentsServices } from '../services';
import { BidReference } from './external/bid';
import { InstallmentNode } from './installment.type';
import { ReceivableNode } from './receivable.type';

@Resolver(() => ReceivableNode)
export class ReceivableResolver {
  @FieldResolver(() => BidReference, { description: 'The bid this share comes from.' })
  bid(@Root() receivable: Receivable): BidReference {
    return { id: receivable.bidId };
  }

  /** Batched: a page of receivables loads its installments with one query. */
  @FieldResolver(() => InstallmentNode, { description: 'The installment this is a share of.' })
  async installment(
    @Root() receivable: Receivable,
    @Ctx() context: SubgraphContext<RepaymentsServices>,
  ): Promise<Installment> {
    const installment = await context.loaders.byId(Installment).load(receivable.installmentId);
    assert(
      installment !== null,
      `receivable ${receivable.id} points at missing installment ${receivable.installmentId}`,
    );
    return installment;
  }
}
