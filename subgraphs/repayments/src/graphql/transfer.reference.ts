import type { SubgraphContext } from '@wanxin/platform';
import { Transfer } from '../entities/transfer.entity';
import type { RepaymentsServices } from '../services';

/** `Transfer` references (the gateway's transferMarket pushes, other subgraphs), batched. */
export function resolveTransferReference(
  reference: { id: string },
  context: SubgraphContext<RepaymentsServices>,
): Promise<Transfer | null> {
  return context.loaders.byId(Transfer).load(reference.id);
}
