import { connectionType } from '@wanxin/platform';
import { InstallmentNode } from './installment.type';

/** `InstallmentConnection` and `InstallmentEdge`: pages of installments (overdueInstallments: oldest first). */
export const InstallmentConnection = connectionType('Installment', InstallmentNode);
