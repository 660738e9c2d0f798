import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendText, type RouteHandler } from '@wanxin/platform';
import { BankSignatureError, NOTIFICATION_ACKNOWLEDGEMENT, openSignedResult, type BankNotification } from '../bank/protocol';
import type { DepositoryServices } from '../services';
import { applyBankResult, refreshBalance } from './bank-results';

/**
 * `POST /bank/notify`: the bank's asynchronous result of a page operation. Verified with the bank's key,
 * applied once (a repeat changes nothing), then answered `OK` so the bank stops retrying. Anything that
 * does not verify is refused and changes nothing.
 */
export function bankNotifyRoute(services: DepositoryServices): RouteHandler {
  const { orm, logger, bankPublicKeyPem } = services;
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
      result = openSignedResult(notification, bankPublicKeyPem);
    } catch (error) {
      if (!(error instanceof BankSignatureError)) throw error;
      logger.warn({ reason: error.message }, 'bank notification refused: signature');
      return sendText(response, 400, 'bad signature');
    }
    const userId = await applyBankResult(orm, result.requestNo, result, logger);
    if (userId !== null) await refreshBalance(orm, services.bank, userId, logger);
    sendText(response, 200, NOTIFICATION_ACKNOWLEDGEMENT);
  };
}
