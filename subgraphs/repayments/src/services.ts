/** The repayments subgraph reads no settings of its own yet. */
export type RepaymentsSettings = Record<string, never>;

export function readRepaymentsSettings(): RepaymentsSettings {
  return {};
}

/** Nothing beyond the request (database, loaders, viewer) is needed yet. */
export type RepaymentsServices = Record<string, never>;

export async function createRepaymentsServices(): Promise<RepaymentsServices> {
  return {};
}
