import type { EntityManager } from '@wanxin/platform';
import { claimIdNumber, findOrCreateAccount } from '../agent/account-rows';
import type { BankRedirectForm } from '../agent/bank-client';
import { currentBusinessDate } from '../agent/business-date';
import { supersedeOpening } from '../agent/supersede-opening';
import type { DepositoryStatus } from '../domain/account-status';
import { newRequestNo } from '../domain/depository-request';
import { DepositoryErrors } from '../domain/errors';
import {
  holderForOpening,
  openAccountProblem,
  openingStep,
  type OpenAccountFields,
  type StatedHolder,
} from '../domain/open-account';
import { VerifiedIdentity } from '../entities/verified-identity.entity';
import { DepositoryAccount } from '../entities/depository-account.entity';
import type { DepositoryServices } from '../services';
import { recordPageRequest } from './record-request';

/** The card to bind, and what the opener says about themselves (the verified identity is what is sent). */
export type OpenAccountRequest = Omit<OpenAccountFields, 'realName' | 'idNumber'> & StatedHolder;

/**
 * Starts opening the user's depository account with their verified identity and answers the bank page
 * that completes it; while an opening is PENDING, the unfinished page is superseded by a fresh one.
 */
export async function openAccount(
  em: EntityManager,
  services: DepositoryServices,
  userId: string,
  request: OpenAccountRequest,
): Promise<BankRedirectForm> {
  const verified = await em.findOne(VerifiedIdentity, { userId });
  const holder = holderForOpening(request, verified);
  if (!holder.ok) {
    const { refusal } = holder;
    throw refusal.rule === 'NOT_VERIFIED'
      ? DepositoryErrors.identityNotVerified()
      : DepositoryErrors.identityMismatch(refusal.field);
  }
  const { bankCode, cardNumber, cardMobile } = request;
  const fields: OpenAccountFields = { ...holder.holder, bankCode, cardNumber, cardMobile };
  const problem = openAccountProblem(fields);
  if (problem !== null) throw DepositoryErrors.invalidField(problem.field, problem.reason);
  const account = await findOrCreateAccount(em, userId);
  const step = openingStep(account.status);
  if (step === 'REFUSE') throw DepositoryErrors.cannotOpen(account.status);
  const requestNo = newRequestNo('PERSONAL_REGISTER');
  const accountingDate = await currentBusinessDate(em);
  if (step === 'SUPERSEDE') await supersedeOpening(services, account, { requestNo, accountingDate }, fields.idNumber);
  else
    await em.transactional(async (tx) => {
      // Conditional: of two concurrent attempts one moves the account to PENDING, the other is refused.
      const startable = { id: account.id, status: { $in: ['NOT_OPENED', 'FAILED'] as DepositoryStatus[] } };
      const moved = await claimIdNumber(() =>
        tx.nativeUpdate(DepositoryAccount, startable, { status: 'PENDING', idNumber: fields.idNumber }),
      );
      if (moved === 0) throw DepositoryErrors.cannotOpen('PENDING');
      await recordPageRequest(tx, {
        requestNo,
        serviceName: 'PERSONAL_REGISTER',
        userId,
        businessDate: accountingDate,
      });
    });
  return services.bank.redirect('PERSONAL_REGISTER', { requestNo, accountingDate, userNo: account.userNo, ...fields });
}
