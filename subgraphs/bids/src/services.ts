/** The bids subgraph reads no settings of its own yet. */
export type BidsSettings = Record<string, never>;

export function readBidsSettings(): BidsSettings {
  return {};
}

/** Nothing beyond the request (database, loaders, viewer) is needed yet. */
export type BidsServices = Record<string, never>;

export async function createBidsServices(): Promise<BidsServices> {
  return {};
}
