import type { SubgraphContext } from '@wanxin/platform';
import { canSeeLoan } from '../domain/loan-visibility';
import { Loan } from '../entities/loan.entity';
import type { LoansServices } from '../services';

/**
 * `Loan` references from other subgraphs, batched: one query per `_entities` call. A loan the viewer may
 * not see resolves to null, exactly like a missing one, as `loan(id)` does.
 */
export async function resolveLoanReference(
  reference: { id: string },
  context: SubgraphContext<LoansServices>,
): Promise<Loan | null> {
  const loan = await context.loaders.byId(Loan).load(reference.id);
  return loan !== null && canSeeLoan(context.viewer, loan) ? loan : null;
}
