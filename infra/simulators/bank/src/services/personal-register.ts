import type { PageInstruction, PersonalRegisterRequest } from '@wanxin/platform/bank-protocol';
import { assert, maskCardNumber, maskIdNumber, maskMobile, newId } from '@wanxin/platform';
import { AccountRefs, BANK_CASH_REF } from '../domain/account-refs';
import { isValidBankCode, isValidCardNumber, isValidIdNumber, isValidMobile, isValidRealName } from '@wanxin/platform';
import { BankRefusals, succeeded } from '../domain/outcomes';
import type { RequestFields } from '../domain/request-fields';
import { BankUser } from '../entities/bank-user.entity';
import { accountByRef, applyTransfers, openAccount } from './ledger-store';
import { userByNo } from './lookups';
import type { ServiceContext } from './runtime';
import type { PageService } from './service-types';

/** The request's fields once parsed; the requestNo and the dates are the recording's and the page's business. */
export type PersonalRegisterCommand = Omit<PersonalRegisterRequest, keyof PageInstruction>;

async function openUser(
  context: ServiceContext,
  command: PersonalRegisterCommand,
  tradePasswordHash: string,
): Promise<string> {
  const { tx } = context;
  const accountId = await openAccount(tx, AccountRefs.user(command.userNo));
  const cardAccountId = await openAccount(tx, AccountRefs.card(command.userNo));
  await tx.insert(BankUser, {
    id: newId(),
    ...command,
    tradePasswordHash,
    accountId,
    cardAccountId,
    createdAt: new Date(),
  });
  return cardAccountId;
}

/**
 * Opens a user's account: checks the identity, stores the chosen trade password, opens the depository
 * account and a simulated bank card funded by the bank's cash with BANK_SIM_CARD_BALANCE.
 */
export const personalRegister: PageService<PersonalRegisterCommand> = {
  title: 'Open a depository account',
  passwordMode: 'CHOOSE',

  parse(fields: RequestFields): PersonalRegisterCommand {
    return {
      userNo: fields.reference('userNo'),
      realName: fields.matching(
        'realName',
        isValidRealName,
        'must be a name of 1 to 50 characters without surrounding spaces',
      ),
      idNumber: fields.matching('idNumber', isValidIdNumber, 'is not a valid 18-character resident ID number'),
      bankCode: fields.matching('bankCode', isValidBankCode, 'must be 2 to 16 upper-case letters or digits'),
      cardNumber: fields.matching('cardNumber', isValidCardNumber, 'must be 12 to 19 digits'),
      cardMobile: fields.matching('cardMobile', isValidMobile, 'must be an 11-digit mobile number'),
    };
  },

  describe(command: PersonalRegisterCommand) {
    return [
      { label: 'Name', value: command.realName },
      { label: 'ID number', value: maskIdNumber(command.idNumber) },
      { label: 'Bank', value: command.bankCode },
      { label: 'Card', value: maskCardNumber(command.cardNumber) },
      { label: 'Card mobile', value: maskMobile(command.cardMobile) },
    ];
  },

  mobilesOf: (command) => [command.cardMobile],

  async execute(context, command, tradePasswordHash) {
    assert(tradePasswordHash !== null, 'opening an account needs the chosen trade password');
    if ((await userByNo(context.tx, command.userNo)) !== null)
      return BankRefusals.userAlreadyRegistered(command.userNo);
    // One person, one account: the unique key settles two registrations racing with one ID number.
    if ((await context.tx.count(BankUser, { idNumber: command.idNumber })) > 0) return BankRefusals.idNumberTaken();
    const cardAccountId = await openUser(context, command, tradePasswordHash);
    if (context.settings.simCardBalanceFen > 0n) {
      const cash = await accountByRef(context.tx, BANK_CASH_REF);
      assert(cash !== null, 'the BANK_CASH account is opened at start');
      const funded = await applyTransfers(
        context.tx,
        [
          {
            kind: 'POSTED',
            id: newId(),
            debitAccountId: cash.id,
            creditAccountId: cardAccountId,
            amountFen: context.settings.simCardBalanceFen,
          },
        ],
        context.requestNo,
      );
      assert(funded.applied, 'funding a new card from the bank cash cannot be refused');
    }
    return succeeded({ userNo: command.userNo, bankCode: command.bankCode, cardNumber: command.cardNumber });
  },
};
