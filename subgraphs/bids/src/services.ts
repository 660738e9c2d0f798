import type { NoServices } from '@wanxin/platform';

/** What the bids resolvers need beyond the request (database, loaders, viewer): nothing yet. */
export type BidsServices = NoServices;
