import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { DateScalar, pageSize, requireRole, type SubgraphContext } from '@wanxin/platform';
import type { ReconciliationLine } from '../domain/reconciliation';
import { ReconciliationRun } from '../entities/reconciliation-run.entity';
import { reconcileDay, summarizeReconciliation } from '../operations/reconcile-day';
import type { DepositoryServices } from '../services';
import { ReconciliationRunNode } from './reconciliation-run.type';
import { ReconciliationReportNode, type ReconciliationItemNode } from './reconciliation.type';

type Context = SubgraphContext<DepositoryServices>;

function item(line: ReconciliationLine): ReconciliationItemNode {
  return {
    requestNo: line.requestNo,
    serviceName: line.serviceName,
    result: line.result,
    platformStatus: line.platform?.status ?? null,
    bankStatus: line.bank?.status ?? null,
    platformAmount: line.platform?.amountFen ?? null,
    bankAmount: line.bank?.amountFen ?? null,
  };
}

@Resolver()
export class ReconciliationResolver {
  @Query(() => ReconciliationReportNode, {
    description:
      'ADMIN: one business day of bank instructions (those sent on that business date) matched with the bank’s records of that accounting date.',
  })
  async reconciliation(
    @Arg('date', () => DateScalar, { description: 'The business date to reconcile.' }) date: string,
    @Ctx() context: Context,
  ): Promise<ReconciliationReportNode> {
    requireRole(context, ['ADMIN']);
    const { lines } = await reconcileDay(context.services, date);
    return {
      date,
      ...summarizeReconciliation(lines),
      discrepancies: lines.filter((line) => line.result !== 'MATCHED').map(item),
    };
  }

  @Query(() => [ReconciliationRunNode], {
    description: 'ADMIN: the reconciliations of business days, newest day first (`first` 1 to 100, default 20).',
  })
  async reconciliationRuns(
    @Arg('first', () => Int, { nullable: true, description: 'Days to return, 1 to 100 (default 20).' })
    first: number | null | undefined,
    @Ctx() context: Context,
  ): Promise<ReconciliationRun[]> {
    requireRole(context, ['ADMIN']);
    return context.em.find(
      ReconciliationRun,
      {},
      { orderBy: { date: 'desc' }, limit: pageSize({ first: first ?? undefined }) },
    );
  }
}
