import type { IncomingMessage } from 'node:http';

/** Largest request body: a repayment with a thousand investors is well under it. */
export const REQUEST_BODY_BYTES_MAX = 1024 * 1024;

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request) {
    bytes += (chunk as Buffer).length;
    if (bytes > REQUEST_BODY_BYTES_MAX) throw new HttpError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON object, or null for anything else (the caller answers with a signed 00003). */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The envelope fields of a form (or query string), and the trade password when one was posted. */
export function envelopeOfForm(params: URLSearchParams): { raw: Record<string, unknown>; password: string | undefined } {
  const raw: Record<string, unknown> = {};
  for (const field of ['serviceName', 'platformNo', 'reqData', 'signature']) {
    const value = params.get(field);
    if (value !== null) raw[field] = value;
  }
  return { raw, password: params.get('password') ?? undefined };
}
