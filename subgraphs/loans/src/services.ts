import type { NoServices } from '@wanxin/platform';

/** What the loans resolvers need beyond the request (database, loaders, viewer): nothing yet. */
export type LoansServices = NoServices;
