import { UniqueConstraintViolationException } from '@mikro-orm/core';
import {
  createLogger,
  databaseKind,
  forkEntityManager,
  openDatabase,
  WakeLoop,
  type Database,
  type Logger,
} from '@wanxin/platform';
import { resolveBankKeys, type BankConfig, type BankKeys } from './config';
import { bankDatabase } from './database';
import { BANK_CASH_REF, PLATFORM_FEE_REF } from './domain/account-refs';
import { listenBank, type BankRoutes } from './http/server';
import { NotificationWorker } from './notifications/worker';
import { checkLedger, ledgerSnapshot, type LedgerCheck } from './services/ledger-check';
import { accountByRef, openAccount } from './services/ledger-store';
import { purgeTradePasswordTries, TRY_PURGE_INTERVAL_MS } from './services/purge-tries';
import type { BankRuntime } from './services/runtime';
import { ReconciliationFileFaults } from './domain/file-faults';

/** A running bank. */
export interface BankService {
  /** Base URL: `${url}/service`, `${url}/gateway`. */
  url: string;
  /** Verifies the bank's responses and notifications. */
  publicKeyPem: string;
  stop(): Promise<void>;
  /** The ledger self-check (services/ledger-check.ts). */
  checkLedger(): Promise<LedgerCheck>;
  /** Every account's totals and the transfer count, as comparable text. */
  snapshot(): Promise<string>;
}

export interface Bank {
  routes: BankRoutes;
  worker: NotificationWorker;
}

/** Opens the bank's two singleton accounts once; a replica opening them at the same time is fine. */
async function openSingletonAccounts(orm: Database): Promise<void> {
  for (const ref of [BANK_CASH_REF, PLATFORM_FEE_REF]) {
    const em = forkEntityManager(orm);
    if ((await accountByRef(em, ref)) !== null) continue;
    try {
      await openAccount(em, ref);
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
    }
  }
}

/** Builds the bank on an open database: its routes and its notification worker (not yet started). */
export function createBank(orm: Database, config: BankConfig, keys: BankKeys, logger: Logger): Bank {
  const worker = new NotificationWorker(
    orm,
    {
      notifyUrl: config.settings.notifyUrl,
      scheduleScale: config.settings.notifyScheduleScale,
      databaseKind: databaseKind(config.platform),
    },
    logger,
  );
  const runtime: BankRuntime = {
    orm,
    settings: config.settings,
    keys,
    logger,
    wakeNotifier: () => worker.wake(),
    fileFaults: new ReconciliationFileFaults(),
  };
  return { routes: { runtime, checkLedger: () => checkLedger(orm), opsAccess: config.platform }, worker };
}

/** Opens (and migrates) the bank's database, serves its HTTP API and starts delivering notifications. */
export async function startBank(config: BankConfig): Promise<BankService> {
  const logger = createLogger('bank', config.platform.logLevel, config.platform.logFormat);
  const keys = resolveBankKeys(config);
  const orm = await openDatabase(config.platform, bankDatabase);
  try {
    await openSingletonAccounts(orm);
    const bank = createBank(orm, config, keys, logger);
    const server = await listenBank(bank.routes, config.platform.host, config.port, logger);
    bank.worker.start();
    const purge = new WakeLoop(
      async () => {
        const purged = await purgeTradePasswordTries(orm);
        if (purged > 0) logger.info({ purged }, 'old trade-password tries purged');
      },
      TRY_PURGE_INTERVAL_MS,
      (error) => logger.error({ err: error }, 'purging trade-password tries failed: retried on the next pass'),
    );
    purge.wake();
    const stop = async () => {
      await server.stop();
      await purge.stop();
      await bank.worker.stop();
      await orm.close(true);
      logger.info('bank stopped');
    };
    return {
      url: server.url,
      publicKeyPem: keys.bankPublicKeyPem,
      stop,
      checkLedger: () => checkLedger(orm),
      snapshot: () => ledgerSnapshot(orm),
    };
  } catch (error) {
    await orm.close(true);
    throw error;
  }
}
