import { BankRefusals, type Outcome } from '../domain/outcomes';
import {
  decodeData,
  isAccountingDate,
  isBankServiceName,
  isInstructionService,
  REQUEST_NO_PATTERN,
  verifyRequest,
  type BankServiceName,
} from '@wanxin/platform/bank-protocol';
import { bodySha256, type AnsweredRequest, type VerifiedRequest } from './recording';
import type { BankRuntime } from './runtime';

/** A request whose signature verified: its service, its reqData (parsed JSON) and its identity. */
export interface OpenedRequest extends VerifiedRequest {
  data: unknown;
  /** The envelope as received, for the page's hidden fields. */
  envelope: { serviceName: string; platformNo: string; reqData: string; signature: string };
}

/** A refusal of an envelope that did not verify carries nothing of it (`request` is null). */
export type Opening = { ok: true; request: OpenedRequest } | { ok: false; request: AnsweredRequest; outcome: Outcome };

const ENVELOPE_FIELDS = ['serviceName', 'platformNo', 'reqData', 'signature'] as const;

function requestNoOf(data: unknown): string {
  const requestNo = typeof data === 'object' && data !== null ? (data as { requestNo?: unknown }).requestNo : undefined;
  return typeof requestNo === 'string' && REQUEST_NO_PATTERN.test(requestNo) ? requestNo : '';
}

function parseJson(json: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(json) };
  } catch {
    return { ok: false };
  }
}

/** An instruction's accounting date, or null when it has none or a malformed one (refused: 00003). */
export function accountingDateOf(data: unknown): string | null {
  const date = typeof data === 'object' && data !== null ? (data as { accountingDate?: unknown }).accountingDate : null;
  return isAccountingDate(date) ? date : null;
}

/** What a missing or malformed accounting date is refused with: nothing is recorded, the request may be sent again. */
export const ACCOUNTING_DATE_HINT = "must be the platform's business date of the instruction, YYYY-MM-DD";

function unverified(outcome: Outcome): Opening {
  return { ok: false, request: null, outcome };
}

/**
 * Checks an envelope before anything else looks at it: the platform is the registered one, the service
 * is one of this bank's, reqData is canonical base64 of UTF-8, and the platform's RSA-SHA256 signature
 * covers exactly that service, platform and JSON text. A tampered reqData or a form posted as another
 * service changes the signed text, so it fails here with 00004 like a forged signature; until the
 * signature verifies, the refusal names neither the requestNo nor the service.
 */
export function openEnvelope(runtime: BankRuntime, raw: Record<string, unknown> | null): Opening {
  if (raw === null || ENVELOPE_FIELDS.some((field) => typeof raw[field] !== 'string')) {
    return unverified(
      BankRefusals.badRequest('the envelope needs serviceName, platformNo, reqData, signature as strings'),
    );
  }
  const envelope = {
    serviceName: raw.serviceName as string,
    platformNo: raw.platformNo as string,
    reqData: raw.reqData as string,
    signature: raw.signature as string,
  };
  if (envelope.platformNo !== runtime.settings.platformNo) {
    return unverified(BankRefusals.unknownPlatform(envelope.platformNo.slice(0, 40)));
  }
  if (!isBankServiceName(envelope.serviceName)) {
    return unverified(BankRefusals.badParameter('serviceName', 'is not a service of this bank'));
  }
  const serviceName: BankServiceName = envelope.serviceName;
  const json = decodeData(envelope.reqData);
  if (json === null) return unverified(BankRefusals.badSignature('reqData is not base64 of UTF-8 text'));
  if (!verifyRequest(serviceName, envelope.platformNo, json, envelope.signature, runtime.keys.platformPublicKeyPem)) {
    return unverified(
      BankRefusals.badSignature('the signature does not verify with the platform key for this service'),
    );
  }
  const parsed = parseJson(json);
  const requestNo = parsed.ok ? requestNoOf(parsed.value) : '';
  const verified = { serviceName, requestNo };
  if (!parsed.ok) return { ok: false, request: verified, outcome: BankRefusals.badRequest('reqData is not JSON') };
  if (requestNo === '') {
    return {
      ok: false,
      request: verified,
      outcome: BankRefusals.badParameter('requestNo', 'must be 1 to 40 letters, digits, _ or -'),
    };
  }
  const accountingDate = isInstructionService(serviceName) ? accountingDateOf(parsed.value) : null;
  if (isInstructionService(serviceName) && accountingDate === null) {
    return { ok: false, request: verified, outcome: BankRefusals.badParameter('accountingDate', ACCOUNTING_DATE_HINT) };
  }
  return {
    ok: true,
    request: {
      serviceName,
      platformNo: envelope.platformNo,
      requestNo,
      bodySha256: bodySha256(serviceName, json),
      accountingDate,
      data: parsed.value,
      envelope,
    },
  };
}
