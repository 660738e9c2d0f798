export { startBank, createBank, type Bank, type BankService } from './bank';
export { bankDatabase } from './database';
export {
  readBankConfig,
  readBankSettings,
  resolveBankKeys,
  BANK_DEFAULT_PORT,
  type BankConfig,
  type BankSettings,
  type BankKeys,
} from './config';
export { checkLedger, ledgerSnapshot, type LedgerCheck } from './services/ledger-check';
export { LOAN_FREEZES_MAX } from './services/confirm-loan';
