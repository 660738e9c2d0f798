import { defineEvent } from '@wanxin/platform';

/** The bank opened the user's account: they may now borrow, bid and recharge. */
export const AccountOpened = defineEvent<{ userId: string; userNo: string }>('depository.account.opened', 1);
/** The bank refused to open the account; the user may try again. */
export const AccountOpeningFailed = defineEvent<{ userId: string; userNo: string; bankCode: string; message: string }>('depository.account.failed', 1, { mayGoUnheard: true });
/** Money arrived from the user's card (amount in fen, as a decimal string). */
export const RechargeSucceeded = defineEvent<{ userId: string; requestNo: string; amountFen: string }>('depository.recharge.succeeded', 1, { mayGoUnheard: true });
/** Money left for the user's card. */
export const WithdrawSucceeded = defineEvent<{ userId: string; requestNo: string; amountFen: string }>('depository.withdraw.succeeded', 1, { mayGoUnheard: true });
