/** The depository subgraph reads no settings of its own yet. */
export type DepositorySettings = Record<string, never>;

export function readDepositorySettings(): DepositorySettings {
  return {};
}

/** Nothing beyond the request (database, loaders, viewer) is needed yet. */
export type DepositoryServices = Record<string, never>;

export async function createDepositoryServices(): Promise<DepositoryServices> {
  return {};
}
