import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendText, type RouteHandler } from '@wanxin/platform';
import {
  BankSignatureError,
  NOTIFICATION_ACKNOWLEDGEMENT,
  openSignedResult,
  type BankNotification,
} from '@wanxin/platform/bank-protocol';
import type { DepositoryServices } from '../services';
import { applyBankResult, BankResultMismatchError, refreshBalance } from './bank-results';

/**
 * `POST /bank/notify`: the bank's asynchronous result of a page operation. Verified with the bank's key
 * as a NOTIFICATION for this platform (a signed RESPONSE, even to the same requestNo, is refused), held
 * against the stored request (service, user, amount), applied once (a repeat changes nothing), then
 * answered `OK` so the bank stops retrying. Anything that does not verify or match is refused and changes nothing.
 */
export function bankNotifyRoute(services: DepositoryServices): RouteHandler {
  const { orm, logger, bankPublicKeyPem, settings } = services;
  return async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST') return sendText(response, 405, 'POST only');
    let notification: BankNotification;
    try {
      notification = JSON.parse(await readBody(request)) as BankNotification;
    } catch {
      return sendText(response, 400, 'not JSON');
    }
    let result;
    try {
      const expected = { messageType: 'NOTIFICATION', platformNo: settings.platformNo } as const;
      result = openSignedResult(notification, bankPublicKeyPem, expected);
    } catch (error) {
      if (!(error instanceof BankSignatureError)) throw error;
      logger.warn({ reason: error.message }, 'bank notification refused: signature');
      return sendText(response, 400, 'bad signature');
    }
    let userId: string | null;
    try {
      userId = await applyBankResult(orm, notification.serviceName, result, logger);
    } catch (error) {
      if (!(error instanceof BankResultMismatchError)) throw error;
      return sendText(response, 400, 'the result does not match the request');
    }
    if (userId !== null) await refreshBalance(orm, services.bank, userId, logger);
    sendText(response, 200, NOTIFICATION_ACKNOWLEDGEMENT);
  };
}
