import { connectionType } from '@wanxin/platform';
import { TransferNode } from './transfer.type';

/** `TransferConnection` and `TransferEdge`: pages of the market, newest first. */
export const TransferConnection = connectionType('Transfer', TransferNode);
