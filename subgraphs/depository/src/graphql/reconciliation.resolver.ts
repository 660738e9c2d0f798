import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { DateScalar, type SubgraphContext } from '@wanxin/platform';
import type { ReconciliationLine } from '../domain/reconciliation';
import { reconcileDay } from '../jobs/reconciliation';
import type { DepositoryServices } from '../services';
import { ReconciliationReportNode, type ReconciliationItemNode } from './reconciliation.type';

function sum(lines: ReconciliationLine[], amountOf: (line: ReconciliationLine) => bigint | null): bigint {
  return lines.reduce((total, line) => total + (amountOf(line) ?? 0n), 0n);
}

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
  @Authorized('ADMIN')
  @Query(() => ReconciliationReportNode, { description: 'ADMIN: one UTC day of bank instructions matched with the bank’s records.' })
  async reconciliation(@Arg('date', () => DateScalar) date: string, @Ctx() context: SubgraphContext<DepositoryServices>): Promise<ReconciliationReportNode> {
    const { lines } = await reconcileDay(context.services, date);
    const count = (...results: string[]) => lines.filter((line) => results.includes(line.result)).length;
    return {
      date,
      matched: count('MATCHED'),
      notSubmitted: count('NOT_SUBMITTED'),
      missingAtBank: count('MISSING_AT_BANK'),
      missingAtPlatform: count('MISSING_AT_PLATFORM'),
      mismatched: count('STATUS_MISMATCH', 'AMOUNT_MISMATCH'),
      platformAmount: sum(lines, (line) => (line.platform?.status === 'SYNC' ? line.platform.amountFen : null)),
      bankAmount: sum(lines, (line) => (line.bank?.status === 'SUCCESS' ? line.bank.amountFen : null)),
      discrepancies: lines.filter((line) => line.result !== 'MATCHED').map(item),
    };
  }
}
