import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendText, type RouteHandler } from '@wanxin/platform';
import { openIdentityResult } from '@wanxin/platform/identity-protocol';
import { openRiskAnswer, ProviderSignatureError } from '@wanxin/platform/risk-protocol';
import { applyIdentityResult } from '../operations/apply-identity-result';
import { recordRiskAnswer } from '../operations/record-risk-answer';
import type { UsersServices } from '../services';
import { CALLBACK_REPLY, type CallbackApplied } from './callback';

/**
 * A provider's signed callback: unsigned, tampered or stale messages are refused (401), a replayed
 * message too (401 REPLAYED), an answer for no request of ours is 404; an answer is taken once and every
 * repeat of it acknowledged (2xx), so the provider stops retrying.
 */
function providerCallbackRoute<TOpened>(
  services: UsersServices,
  provider: string,
  open: (raw: unknown) => TOpened,
  apply: (opened: TOpened) => Promise<CallbackApplied>,
): RouteHandler {
  const { logger } = services;
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
      opened = open(raw);
    } catch (error) {
      if (!(error instanceof ProviderSignatureError)) throw error;
      logger.warn({ provider, code: error.code, reason: error.message }, 'provider callback refused');
      return sendText(response, error.code === 'BAD_REQUEST' ? 400 : 401, error.code);
    }
    const [status, text] = CALLBACK_REPLY[await apply(opened)];
    sendText(response, status, text);
  };
}

/** `POST /identity/notify`: the identity provider's result, applied at once (operations/apply-identity-result). */
export function identityNotifyRoute(services: UsersServices): RouteHandler {
  const { orm, logger, identity } = services;
  return providerCallbackRoute(
    services,
    'identity',
    (raw) => openIdentityResult(raw, identity.providerPublicKeyPem),
    (opened) => applyIdentityResult(orm, opened.nonce, opened.result, logger),
  );
}

/**
 * `POST /risk/notify`: the risk provider's answer. Verified, then only written to the outbox as
 * `users.risk.answered` (operations/record-risk-answer); the consumer stores and applies it.
 */
export function riskNotifyRoute(services: UsersServices): RouteHandler {
  const { orm, risk } = services;
  return providerCallbackRoute(
    services,
    'risk',
    (raw) => ({ ...openRiskAnswer(raw, risk.providerPublicKeyPem), rawAnswer: JSON.stringify(raw) }),
    (opened) => recordRiskAnswer(orm, opened.nonce, opened.answer, opened.rawAnswer),
  );
}
