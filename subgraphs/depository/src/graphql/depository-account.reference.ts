import { requireOwnerOrAdmin, type SubgraphContext } from '@wanxin/platform';
import { DepositoryAccount } from '../entities/depository-account.entity';
import type { DepositoryServices } from '../services';

/** `DepositoryAccount` references, batched: one query per `_entities` call; the owner or an admin only. */
export async function resolveDepositoryAccountReference(
  reference: { id: string },
  context: SubgraphContext<DepositoryServices>,
): Promise<DepositoryAccount | null> {
  const account = await context.loaders.byId(DepositoryAccount).load(reference.id);
  if (account === null) return null;
  requireOwnerOrAdmin(context, account.userId, 'a depository account');
  return account;
}
