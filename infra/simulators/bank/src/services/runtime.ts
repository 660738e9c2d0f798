import type { ReconciliationFileFaults } from '../domain/file-faults';
import type { Database, EntityManager, Logger } from '@wanxin/platform';
import type { BankKeys, BankSettings } from '../config';
import type { StableLookups } from './lookups';

/** What every bank service and route runs with. */
export interface BankRuntime {
  orm: Database;
  settings: BankSettings;
  keys: BankKeys;
  logger: Logger;
  /** Asks the notification worker to deliver soon (after a commit that enqueued one). */
  wakeNotifier(): void;
  /** What the reconciliation files are to get wrong, as an operator injected it (/ops/reconciliation-faults). */
  fileFaults: ReconciliationFileFaults;
}

/** What a service's write runs with: the request's transaction, and its reads of stable rows. */
export interface ServiceContext {
  tx: EntityManager;
  requestNo: string;
  /** The day the request is booked under (its `accountingDate`). */
  accountingDate: string;
  settings: BankSettings;
  lookups: StableLookups;
}

/**
 * Thrown by a service whose conditional update lost a race (e.g. a project's status changed between
 * reading and updating it): the transaction rolls back and the request runs again from the start.
 */
export class ConcurrentChange extends Error {
  override name = 'ConcurrentChange';
}
