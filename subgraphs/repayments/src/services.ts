import type { NoServices } from '@wanxin/platform';

/** What the repayments resolvers need beyond the request (database, loaders, viewer): nothing yet. */
export type RepaymentsServices = NoServices;
