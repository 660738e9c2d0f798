import type { SubgraphContext } from '@wanxin/platform';
import { User } from '../entities/user.entity';
import type { UsersServices } from '../services';

/** `User` references from other subgraphs, batched: one query per `_entities` call. */
export function resolveUserReference(
  reference: { id: string },
  context: SubgraphContext<UsersServices>,
): Promise<User | null> {
  return context.loaders.byId(User).load(reference.id);
}
