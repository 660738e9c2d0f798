import { createSubgraph as createBids } from '@wanxin/bids';
import { createSubgraph as createDepository } from '@wanxin/depository';
import { EVENTS_SUBGRAPH } from '@wanxin/gateway';
import { createSubgraph as createLoans } from '@wanxin/loans';
import { createSubgraph as createRepayments } from '@wanxin/repayments';
import { createSubgraph as createUsers } from '@wanxin/users';
import { composeSupergraph, type ComposedSchema, type SubgraphDefinition } from '@wanxin/platform';

/** The five subgraphs in composition order; the all-in-one launcher and the schema tools use this list. */
export function allSubgraphs(): SubgraphDefinition<any, any>[] {
  return [createUsers(), createLoans(), createBids(), createRepayments(), createDepository()];
}

/** schema/: the five subgraphs printed from code, the events-only schema, and their supergraph. */
export function composeWanxinSupergraph(): Promise<ComposedSchema> {
  return composeSupergraph(allSubgraphs(), [EVENTS_SUBGRAPH]);
}
