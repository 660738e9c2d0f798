// The repayments subgraph as its integration tests run it: with the real bank simulator and depository
// agent, on a test environment's database, and the ORM the test reads that database with.
import type { DatabaseKind, HttpService } from '@wanxin/platform';
import { startSubgraphWithBank, type SubgraphWithBank } from '@wanxin/depository/testing';
import { createSubgraph } from '../src';

export type RepaymentsWithBank = Omit<SubgraphWithBank, 'subgraph'> & { repayments: HttpService };

/** The bank, its agent and repayments (settings from `env` over the environment's) in a new environment. */
export async function startRepaymentsWithBank(
  kind: DatabaseKind,
  env: Record<string, string> = {},
): Promise<RepaymentsWithBank> {
  const { subgraph, ...started } = await startSubgraphWithBank(kind, createSubgraph(), env);
  return { ...started, repayments: subgraph };
}

/** Stops what startRepaymentsWithBank started; parts never made are skipped. */
export async function stopRepaymentsWithBank({
  environment,
  bank,
  repayments,
  orm,
}: Partial<RepaymentsWithBank>): Promise<void> {
  await repayments?.stop();
  await orm?.close(true);
  await bank?.stop();
  await environment?.cleanup();
}
