import type { NoServices } from '@wanxin/platform';

/** What the depository resolvers need beyond the request (database, loaders, viewer): nothing yet. */
export type DepositoryServices = NoServices;
