import { randomBytes } from 'node:crypto';
import { decodeData, encodeData, signJson, verifyJson } from '../signing';
export { decodeData, encodeData } from '../signing';

/**
 * The envelope both outside providers (identity, risk) and the platform sign their messages with, each
 * way: `{messageType, nonce, sentAt, data, signature}`. `data` is base64 of a JSON object; the signature
 * is RSA-SHA256 over providerSigningText(messageType, nonce, sentAt, json), so a message cannot pass for
 * another type, be altered, or be sent again: the receiver refuses a `sentAt` further than
 * MESSAGE_FRESHNESS_MS from its clock and a `nonce` it has already seen within that window.
 */
export interface ProviderEnvelope {
  messageType: string;
  /** 22 to 64 of [A-Za-z0-9_-], fresh for every message (a retried callback is signed anew). */
  nonce: string;
  /** ISO 8601 UTC instant of signing. */
  sentAt: string;
  /** base64 of the JSON text. */
  data: string;
  /** base64 RSA-SHA256 of providerSigningText(...). */
  signature: string;
}

/** How far a message's `sentAt` may lie from the receiver's clock; nonces are remembered at least this long. */
export const MESSAGE_FRESHNESS_MS = 5 * 60 * 1000;

export const NONCE_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;
const SENT_AT_PATTERN = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;

/**
 * The codes of a provider's synchronous answer (the receipt). ACCEPTED comes with HTTP 202; the others
 * with 400 (BAD_REQUEST), 401 (BAD_SIGNATURE, STALE, REPLAYED), 503 (UNAVAILABLE) or 500 (SYSTEM_ERROR).
 */
export const PROVIDER_CODES = {
  ACCEPTED: 'ACCEPTED',
  /** The data verified but does not meet the protocol (a missing field, an image too large). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** Not an envelope, the wrong message type, or a signature that does not verify: nothing of it is trusted. */
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  /** `sentAt` is further than MESSAGE_FRESHNESS_MS from the provider's clock. */
  STALE: 'STALE',
  /** This exact message (its nonce) was received before. Re-asking means signing a new message. */
  REPLAYED: 'REPLAYED',
  /** The provider is down; send the request again later. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** Nothing was recorded; send the request again. */
  SYSTEM_ERROR: 'SYSTEM_ERROR',
} as const;
export type ProviderCode = (typeof PROVIDER_CODES)[keyof typeof PROVIDER_CODES];

export const PROVIDER_CODE_HTTP_STATUS: Record<ProviderCode, number> = {
  ACCEPTED: 202,
  BAD_REQUEST: 400,
  BAD_SIGNATURE: 401,
  STALE: 401,
  REPLAYED: 401,
  UNAVAILABLE: 503,
  SYSTEM_ERROR: 500,
};

/**
 * The provider's signed synchronous answer to a request. `reference` is the provider's name for what it
 * accepted (null on a refusal); the decision itself always comes later, by callback.
 */
export interface ProviderReceipt {
  code: ProviderCode;
  message: string;
  reference: string | null;
}

/** The text a signature covers: type, nonce, instant and JSON, one per line (none of the first three holds one). */
export function providerSigningText(messageType: string, nonce: string, sentAt: string, json: string): string {
  return `${messageType}\n${nonce}\n${sentAt}\n${json}`;
}

/** A fresh nonce: 24 random bytes, base64url (32 characters). */
export function newNonce(): string {
  return randomBytes(24).toString('base64url');
}

/** Signs `json` exactly as given (a test may sign malformed data on purpose). */
export function signProviderJson(
  messageType: string,
  json: string,
  privateKeyPem: string,
  options: { nonce?: string; sentAt?: Date } = {},
): ProviderEnvelope {
  const nonce = options.nonce ?? newNonce();
  const sentAt = (options.sentAt ?? new Date()).toISOString();
  const signature = signJson(providerSigningText(messageType, nonce, sentAt, json), privateKeyPem);
  return { messageType, nonce, sentAt, data: encodeData(json), signature };
}

export function signProviderMessage(
  messageType: string,
  data: object,
  privateKeyPem: string,
  options: { nonce?: string; sentAt?: Date } = {},
): ProviderEnvelope {
  return signProviderJson(messageType, JSON.stringify(data), privateKeyPem, options);
}

/** BAD_REQUEST: it verified, but its data is not what the message type carries. */
export type ProviderRefusalCode = 'BAD_SIGNATURE' | 'STALE' | 'BAD_REQUEST';

export class ProviderSignatureError extends Error {
  override name = 'ProviderSignatureError';
  constructor(
    readonly code: ProviderRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

/** A verified message: its nonce (for the receiver's replay check), its instant and its data object. */
export interface OpenedProviderMessage {
  nonce: string;
  sentAt: Date;
  data: Record<string, unknown>;
}

/**
 * Opens a message (as parsed from the wire): it must be `expectedType`, signed by the holder of
 * `publicKeyPem` over exactly its type, nonce, instant and data, sent within MESSAGE_FRESHNESS_MS of
 * `now`, and its data a JSON object. Throws ProviderSignatureError otherwise. Whether the nonce was seen
 * before is the receiver's check: it needs the receiver's memory.
 */
export function openProviderMessage(
  raw: unknown,
  expectedType: string,
  publicKeyPem: string,
  now: Date = new Date(),
): OpenedProviderMessage {
  const fields = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<
    Record<keyof ProviderEnvelope, unknown>
  >;
  const { messageType, nonce, sentAt, data, signature } = fields;
  if ([messageType, nonce, sentAt, data, signature].some((field) => typeof field !== 'string')) {
    throw new ProviderSignatureError('BAD_SIGNATURE', 'not an envelope: messageType, nonce, sentAt, data, signature');
  }
  if (messageType !== expectedType) {
    throw new ProviderSignatureError('BAD_SIGNATURE', `expected a ${expectedType} message`);
  }
  if (!NONCE_PATTERN.test(nonce as string) || !SENT_AT_PATTERN.test(sentAt as string)) {
    throw new ProviderSignatureError('BAD_SIGNATURE', 'nonce or sentAt is malformed');
  }
  const json = decodeData(data as string);
  if (json === null) throw new ProviderSignatureError('BAD_SIGNATURE', 'data is not base64 of UTF-8 text');
  const text = providerSigningText(expectedType, nonce as string, sentAt as string, json);
  if (!verifyJson(text, signature as string, publicKeyPem)) {
    throw new ProviderSignatureError('BAD_SIGNATURE', 'the signature does not verify');
  }
  const sentAtDate = new Date(sentAt as string);
  if (Number.isNaN(sentAtDate.getTime()) || Math.abs(now.getTime() - sentAtDate.getTime()) > MESSAGE_FRESHNESS_MS) {
    throw new ProviderSignatureError('STALE', 'sentAt is outside the freshness window');
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ProviderSignatureError('BAD_SIGNATURE', 'data is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProviderSignatureError('BAD_SIGNATURE', 'data is not a JSON object');
  }
  return { nonce: nonce as string, sentAt: sentAtDate, data: value as Record<string, unknown> };
}

/** A receipt as the platform reads it: verified, of `receiptType`, with a known code. */
export function openProviderReceipt(
  raw: unknown,
  receiptType: string,
  providerPublicKeyPem: string,
  now: Date = new Date(),
): ProviderReceipt {
  const { data } = openProviderMessage(raw, receiptType, providerPublicKeyPem, now);
  const known = Object.values(PROVIDER_CODES) as string[];
  if (typeof data.code !== 'string' || !known.includes(data.code) || typeof data.message !== 'string') {
    throw new ProviderSignatureError('BAD_REQUEST', 'not a provider receipt');
  }
  const reference = typeof data.reference === 'string' ? data.reference : null;
  return { code: data.code as ProviderCode, message: data.message, reference };
}

/** A verified callback: its nonce and instant, and its data under the name the protocol gives it. */
export type OpenedCallback<Key extends string, Data> = Omit<OpenedProviderMessage, 'data'> & { [Name in Key]: Data };

/**
 * The platform's side of one kind of callback: a function that verifies the provider's signature, the
 * message type and freshness (openProviderMessage), then the data's shape (`isData`), and answers the
 * data under `key`. Throws ProviderSignatureError when anything does not hold (BAD_REQUEST: "not <what>").
 */
export function providerCallbackOpener<Key extends string, Data>(
  key: Key,
  messageType: string,
  isData: (data: Record<string, unknown>) => boolean,
  what: string,
): (raw: unknown, providerPublicKeyPem: string, now?: Date) => OpenedCallback<Key, Data> {
  return (raw, providerPublicKeyPem, now = new Date()) => {
    const { data, ...message } = openProviderMessage(raw, messageType, providerPublicKeyPem, now);
    if (!isData(data)) throw new ProviderSignatureError('BAD_REQUEST', `not ${what}`);
    return { ...message, [key]: data } as OpenedCallback<Key, Data>;
  };
}

/** Callbacks are acknowledged by any 2xx answer; anything else (or no answer) is retried. */
export function isCallbackAcknowledged(httpStatus: number): boolean {
  return httpStatus >= 200 && httpStatus < 300;
}

export const CALLBACK_URL_LENGTH_MAX = 2048;

/** A request's data after the receiver's checks, or what is wrong with it. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** An http(s) URL of bounded length. */
export function isCallbackUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > CALLBACK_URL_LENGTH_MAX) return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
