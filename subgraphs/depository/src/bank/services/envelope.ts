import { BankRefusals, type Outcome } from '../domain/outcomes';
import { decodeData, isBankServiceName, REQUEST_NO_PATTERN, verifyJson, type BankServiceName } from '../protocol';
import { bodySha256, type VerifiedRequest } from './recording';
import type { BankRuntime } from './runtime';

/** A request whose signature verified: its service, its reqData (parsed JSON) and its identity. */
export interface OpenedRequest extends VerifiedRequest {
  data: unknown;
  /** The envelope as received, for the page's hidden fields. */
  envelope: { serviceName: string; platformNo: string; reqData: string; signature: string };
}

export type Opening = { ok: true; request: OpenedRequest } | { ok: false; requestNo: string; outcome: Outcome };

const ENVELOPE_FIELDS = ['serviceName', 'platformNo', 'reqData', 'signature'] as const;

function echoedRequestNo(data: unknown): string {
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

/**
 * Checks an envelope before anything else looks at it: the platform is the registered one, reqData is
 * canonical base64 of UTF-8, and the platform's RSA-SHA256 signature covers exactly that JSON text.
 * A tampered reqData changes the text, so it fails here with 00004 like a forged signature.
 */
export function openEnvelope(runtime: BankRuntime, raw: Record<string, unknown> | null): Opening {
  if (raw === null || ENVELOPE_FIELDS.some((field) => typeof raw[field] !== 'string')) {
    return { ok: false, requestNo: '', outcome: BankRefusals.badRequest('the envelope needs serviceName, platformNo, reqData and signature as strings') };
  }
  const envelope = { serviceName: raw.serviceName as string, platformNo: raw.platformNo as string, reqData: raw.reqData as string, signature: raw.signature as string };
  const json = decodeData(envelope.reqData);
  if (json === null) return { ok: false, requestNo: '', outcome: BankRefusals.badSignature('reqData is not base64 of UTF-8 text') };
  const parsed = parseJson(json);
  // Echoed before anything is verified, only so the sender can match the refusal to its request.
  const requestNo = parsed.ok ? echoedRequestNo(parsed.value) : '';
  if (envelope.platformNo !== runtime.settings.platformNo) return { ok: false, requestNo, outcome: BankRefusals.unknownPlatform(envelope.platformNo.slice(0, 40)) };
  if (!verifyJson(json, envelope.signature, runtime.keys.platformPublicKeyPem)) {
    return { ok: false, requestNo, outcome: BankRefusals.badSignature('the signature does not verify with the platform key') };
  }
  if (!parsed.ok) return { ok: false, requestNo, outcome: BankRefusals.badRequest('reqData is not JSON') };
  if (requestNo === '') return { ok: false, requestNo, outcome: BankRefusals.badParameter('requestNo', 'must be 1 to 40 letters, digits, _ or -') };
  if (!isBankServiceName(envelope.serviceName)) return { ok: false, requestNo, outcome: BankRefusals.badParameter('serviceName', 'is not a service of this bank') };
  const serviceName: BankServiceName = envelope.serviceName;
  return {
    ok: true,
    request: { serviceName, platformNo: envelope.platformNo, requestNo, bodySha256: bodySha256(serviceName, json), data: parsed.value, envelope },
  };
}
