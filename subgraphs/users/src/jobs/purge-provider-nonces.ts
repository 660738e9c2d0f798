import {
  forkEntityManager,
  startPassLoop,
  type BackgroundWork,
  type Database,
  type EntityManager,
  type Logger,
} from '@wanxin/platform';
import { MESSAGE_FRESHNESS_MS } from '@wanxin/platform/provider-protocol';
import { ProviderNonce } from '../entities/identity-check.entity';

/**
 * How long a callback's nonce is kept: twice the freshness window, past which the protocol refuses the
 * message as STALE before its nonce is looked at, so forgetting the nonce cannot let a replay through.
 */
export const PROVIDER_NONCE_KEEP_MS = 2 * MESSAGE_FRESHNESS_MS;
/** Nonces one statement deletes at most, so a backlog is worked off without a long lock. */
export const PROVIDER_NONCES_PER_DELETE_MAX = 1_000;
const PURGE_INTERVAL_MS = 10 * 60_000;

/** Deletes nonces older than PROVIDER_NONCE_KEEP_MS, a batch at a time; the number deleted. */
export async function purgeProviderNonces(em: EntityManager, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - PROVIDER_NONCE_KEEP_MS);
  const stale = await em.find(
    ProviderNonce,
    { receivedAt: { $lt: before } },
    { fields: ['nonce'], orderBy: { receivedAt: 'asc' }, limit: PROVIDER_NONCES_PER_DELETE_MAX },
  );
  if (stale.length === 0) return 0;
  return em.nativeDelete(ProviderNonce, { nonce: { $in: stale.map((row) => row.nonce) } });
}

/** The purge every 10 minutes; a full batch is followed by another at once. */
export function startProviderNoncePurge(orm: Database, logger: Logger): BackgroundWork {
  return startPassLoop(
    async () => (await purgeProviderNonces(forkEntityManager(orm))) === PROVIDER_NONCES_PER_DELETE_MAX,
    PURGE_INTERVAL_MS,
    (error) => logger.error({ err: error }, 'provider nonce purge failed'),
  );
}
