/** The loans subgraph reads no settings of its own yet. */
export type LoansSettings = Record<string, never>;

export function readLoansSettings(): LoansSettings {
  return {};
}

/** Nothing beyond the request (database, loaders, viewer) is needed yet. */
export type LoansServices = Record<string, never>;

export async function createLoansServices(): Promise<LoansServices> {
  return {};
}
