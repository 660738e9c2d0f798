import type { EntityManager } from '@wanxin/platform';
import type { PendingTransfer, TransferRequest } from '../domain/ledger';
import type { Outcome } from '../domain/outcomes';
import type { RequestFields } from '../domain/request-fields';
import type { BankFreeze } from '../entities/bank-freeze.entity';
import type { BankUser } from '../entities/bank-user.entity';
import type { BankProjectStatus } from '@wanxin/platform/bank-protocol';
import type { KnownRows } from './lookups';
import type { BankRuntime, ServiceContext } from './runtime';

/** What one item of a batch does when applied together with the batch's others (services/together.ts). */
export interface TogetherWork {
  /** The project whose row the item locks, and the statuses it may be in. */
  projectNo: string;
  projectStatuses: readonly BankProjectStatus[];
  /** The freeze the item settles: it must still be open, its PENDING transfer exactly this one. */
  settles: PendingTransfer | null;
  transfers: TransferRequest[];
  /** The freeze the item makes, written with its transfers. */
  freeze: Omit<BankFreeze, 'createdAt'> | null;
  /** The answer once applied. */
  outcome: Outcome;
}

/** A service called directly (POST /service) that changes the books: parse, then execute in the request's transaction. */
export interface DirectService<TCommand> {
  /** Throws ParameterError (→ 00003) on any malformed field. */
  parse(fields: RequestFields): TCommand;
  execute(context: ServiceContext, command: TCommand): Promise<Outcome>;
  /**
   * The item's work from the batch's rows alone, for services a due day sends by the thousand; null
   * when it must run alone (a row not read, or a refusal to explain). Its rules are execute's.
   */
  together?(known: KnownRows, command: TCommand, requestNo: string): TogetherWork | null;
}

/** A read-only service: answered fresh, never recorded. */
export interface QueryService<TCommand> {
  parse(fields: RequestFields): TCommand;
  answer(em: EntityManager, command: TCommand, runtime: BankRuntime): Promise<Outcome>;
}

/** One line of what the bank's page shows the user before they authorise. */
export interface PageLine {
  label: string;
  value: string;
}

/**
 * A service the user completes on the bank's page. CHOOSE: the user sets the trade password (account
 * opening); CHECK: the user's trade password must match before anything runs.
 */
export interface PageService<TCommand extends { userNo: string }> {
  title: string;
  passwordMode: 'CHOOSE' | 'CHECK';
  parse(fields: RequestFields): TCommand;
  describe(command: TCommand, holder: BankUser | null): PageLine[];
  /** CHOOSE: the mobile numbers the request names, whose tail a new trade password must not be. */
  mobilesOf?(command: TCommand): string[];
  /** `tradePasswordHash` is the new hash for CHOOSE, null for CHECK (already verified). */
  execute(context: ServiceContext, command: TCommand, tradePasswordHash: string | null): Promise<Outcome>;
}
