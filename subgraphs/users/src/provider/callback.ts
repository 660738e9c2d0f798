/** What a verified callback did: each answers the provider with its own status. */
export type CallbackApplied = 'APPLIED' | 'ALREADY_SETTLED' | 'UNKNOWN_REQUEST' | 'REPLAYED' | 'BAD_REQUEST';

/** The HTTP status and text a provider gets back for each. */
export const CALLBACK_REPLY: Record<CallbackApplied, readonly [status: number, text: string]> = {
  APPLIED: [200, 'OK'],
  ALREADY_SETTLED: [200, 'OK'],
  UNKNOWN_REQUEST: [404, 'UNKNOWN_REQUEST'],
  REPLAYED: [401, 'REPLAYED'],
  BAD_REQUEST: [400, 'BAD_REQUEST'],
};
