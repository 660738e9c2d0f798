import type { SubgraphContext } from '@wanxin/platform';
import { Installment } from '../entities/installment.entity';
import type { RepaymentsServices } from '../services';

/** `Installment` references from other subgraphs, batched: one query per `_entities` call. */
export function resolveInstallmentReference(
  reference: { id: string },
  context: SubgraphContext<RepaymentsServices>,
): Promise<Installment | null> {
  return context.loaders.byId(Installment).load(reference.id);
}
