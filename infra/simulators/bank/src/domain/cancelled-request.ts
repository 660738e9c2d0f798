/**
 * What a cancelled page request's record holds in place of its body's sha256: no body hashes to it (a
 * sha256 is 64 hex digits), so the record never passes for the request itself, and the page answers a
 * later submission of the request with the stored cancellation instead of running it.
 */
export const CANCELLED_BODY_SHA256 = 'CANCELLED';

export function isCancelledRecord(row: { bodySha256: string }): boolean {
  return row.bodySha256 === CANCELLED_BODY_SHA256;
}
