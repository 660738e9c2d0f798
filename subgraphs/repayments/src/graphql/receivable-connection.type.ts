import { connectionType } from '@wanxin/platform';
import { ReceivableNode } from './receivable.type';

/** `ReceivableConnection` and `ReceivableEdge`: pages of receivables, newest first. */
export const ReceivableConnection = connectionType('Receivable', ReceivableNode);
