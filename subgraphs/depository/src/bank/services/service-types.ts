import type { EntityManager } from '@wanxin/platform';
import type { Outcome } from '../domain/outcomes';
import type { RequestFields } from '../domain/request-fields';
import type { BankUser } from '../entities/bank-user.entity';
import type { ServiceContext } from './runtime';

/** A service called directly (POST /service) that changes the books: parse, then execute in the request's transaction. */
export interface DirectService<TCommand> {
  /** Throws ParameterError (→ 00003) on any malformed field. */
  parse(fields: RequestFields): TCommand;
  execute(context: ServiceContext, command: TCommand): Promise<Outcome>;
}

/** A read-only service: answered fresh, never recorded. */
export interface QueryService<TCommand> {
  parse(fields: RequestFields): TCommand;
  answer(em: EntityManager, command: TCommand): Promise<Outcome>;
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
  /** `tradePasswordHash` is the new hash for CHOOSE, null for CHECK (already verified). */
  execute(context: ServiceContext, command: TCommand, tradePasswordHash: string | null): Promise<Outcome>;
}
