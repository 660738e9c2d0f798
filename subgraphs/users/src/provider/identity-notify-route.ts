import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendText, type RouteHandler } from '@wanxin/platform';
import { openIdentityResult, ProviderSignatureError } from '@wanxin/platform/identity-protocol';
import { applyIdentityResult } from '../operations/apply-identity-result';
import type { UsersServices } from '../services';

/**
 * `POST /identity/notify`: the identity provider's signed result. Unsigned, tampered or stale messages
 * are refused (401), a replayed message too (401 REPLAYED), a result for no check of ours is 404; a
 * result is applied once and every repeat of it acknowledged (2xx), so the provider stops retrying.
 */
export function identityNotifyRoute(services: UsersServices): RouteHandler {
  const { orm, logger, identity } = services;
  return async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST') return sendText(response, 405, 'POST only');
    let raw: unknown;
    try {
      raw = JSON.parse(await readBody(request));
    } catch {
      return sendText(response, 400, 'not JSON');
    }
    let opened;
    try {
      opened = openIdentityResult(raw, identity.providerPublicKeyPem);
    } catch (error) {
      if (!(error instanceof ProviderSignatureError)) throw error;
      logger.warn({ code: error.code, reason: error.message }, 'identity result refused');
      return sendText(response, error.code === 'BAD_REQUEST' ? 400 : 401, error.code);
    }
    const applied = await applyIdentityResult(orm, opened.nonce, opened.result, logger);
    if (applied === 'REPLAYED') return sendText(response, 401, 'REPLAYED');
    if (applied === 'UNKNOWN_CHECK') return sendText(response, 404, 'UNKNOWN_REQUEST');
    sendText(response, 200, 'OK');
  };
}
