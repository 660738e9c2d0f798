import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { forkEntityManager, type Database } from '@wanxin/platform';
import {
  openProviderMessage,
  ProviderSignatureError,
  type Parsed,
  type ProviderCode,
} from '@wanxin/platform/provider-protocol';
import { SeenNonce } from './entities';

export type RequestOpening<T> = { ok: true; value: T } | { ok: false; code: ProviderCode; message: string };

/**
 * Opens a request from the platform: a JSON envelope of `messageType`, signed by the platform's key,
 * fresh, never seen before (its nonce is remembered here, so the same message twice is REPLAYED), and
 * data that `parse` accepts. Nothing of a request that fails a check is looked at further.
 */
export async function openPlatformRequest<T>(
  orm: Database,
  body: string,
  messageType: string,
  platformPublicKeyPem: string,
  parse: (data: Record<string, unknown>) => Parsed<T>,
): Promise<RequestOpening<T>> {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { ok: false, code: 'BAD_SIGNATURE', message: 'the body is not a JSON envelope' };
  }
  let opened;
  try {
    opened = openProviderMessage(raw, messageType, platformPublicKeyPem);
  } catch (error) {
    if (!(error instanceof ProviderSignatureError)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
  try {
    await forkEntityManager(orm).insert(SeenNonce, { nonce: opened.nonce, seenAt: new Date() });
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    return { ok: false, code: 'REPLAYED', message: 'this message was received before: sign a new one to ask again' };
  }
  const parsed = parse(opened.data);
  return parsed.ok ? parsed : { ok: false, code: 'BAD_REQUEST', message: parsed.message };
}
