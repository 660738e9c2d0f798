import type { SubgraphContext } from '@wanxin/platform';
import { Bid } from '../entities/bid.entity';
import type { BidsServices } from '../services';

/** `Bid` references from other subgraphs, batched: one query per `_entities` call. */
export function resolveBidReference(
  reference: { id: string },
  context: SubgraphContext<BidsServices>,
): Promise<Bid | null> {
  return context.loaders.byId(Bid).load(reference.id);
}
