import { createSubgraph as createBids } from '@wanxin/bids';
import { createSubgraph as createDepository } from '@wanxin/depository';
import { createSubgraph as createLoans } from '@wanxin/loans';
import { createSubgraph as createRepayments } from '@wanxin/repayments';
import { createSubgraph as createUsers } from '@wanxin/users';
import type { SubgraphDefinition } from '@wanxin/platform';

/** The five subgraphs in composition order; the all-in-one launcher and the schema tools use this list. */
export function allSubgraphs(): SubgraphDefinition<any, any>[] {
  return [createUsers(), createLoans(), createBids(), createRepayments(), createDepository()];
}
