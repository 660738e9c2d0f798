import { assert, type EntityManager } from '@wanxin/platform';
import { PLATFORM_FEE_REF } from '../domain/account-refs';
import { BankFreeze } from '../entities/bank-freeze.entity';
import { BankProject } from '../entities/bank-project.entity';
import { BankUser } from '../entities/bank-user.entity';
import { accountByRef } from './ledger-store';

/** Reads shared by the services; inside a request they run in its transaction. */
export function userByNo(em: EntityManager, userNo: string): Promise<BankUser | null> {
  return em.findOne(BankUser, { userNo });
}

export async function usersByNo(em: EntityManager, userNos: readonly string[]): Promise<Map<string, BankUser>> {
  const users = await em.find(BankUser, { userNo: { $in: [...new Set(userNos)] } });
  return new Map(users.map((user) => [user.userNo, user]));
}

export function projectByNo(em: EntityManager, projectNo: string): Promise<BankProject | null> {
  return em.findOne(BankProject, { projectNo });
}

/** The freeze made by request `preRequestNo`. */
export function freezeByRequestNo(em: EntityManager, preRequestNo: string): Promise<BankFreeze | null> {
  return em.findOne(BankFreeze, { requestNo: preRequestNo });
}

/**
 * Rows the hot services read that never change once written, in the fields they use: a user's account,
 * a project's id, borrower and escrow (its status is checked by the conditional update of
 * touchProjectWhile, never from here), a freeze, the platform's fee account. A request reads them in
 * its transaction; a batch reads them for all its items at once (PrefetchedLookups).
 */
export interface StableLookups {
  userByNo(userNo: string): Promise<BankUser | null>;
  usersByNo(userNos: readonly string[]): Promise<Map<string, BankUser>>;
  projectByNo(projectNo: string): Promise<BankProject | null>;
  freezeByRequestNo(requestNo: string): Promise<BankFreeze | null>;
  platformFeeAccountId(): Promise<string>;
}

export function lookupsIn(em: EntityManager): StableLookups {
  return {
    userByNo: (userNo) => userByNo(em, userNo),
    usersByNo: (userNos) => usersByNo(em, userNos),
    projectByNo: (projectNo) => projectByNo(em, projectNo),
    freezeByRequestNo: (requestNo) => freezeByRequestNo(em, requestNo),
    async platformFeeAccountId() {
      const account = await accountByRef(em, PLATFORM_FEE_REF);
      assert(account !== null, 'the PLATFORM_FEE account is opened at start');
      return account.id;
    },
  };
}

/** What a batch's items name: the rows to read before they run. */
export interface LookupKeys {
  userNos: string[];
  projectNos: string[];
  freezeRequestNos: string[];
}

/** Stable rows a batch read before its items ran, answered without a query: undefined when not read. */
export interface KnownRows {
  user(userNo: string): BankUser | undefined;
  project(projectNo: string): BankProject | undefined;
  freeze(requestNo: string): BankFreeze | undefined;
  readonly feeAccountId: string;
}

/**
 * A batch's stable rows, read in four statements before its items run (the freezes first, so that the
 * borrower and project of each are read too). An item finds its rows here; a row not read (none exists,
 * or it was written since) is read in the item's own transaction.
 */
export class PrefetchedLookups implements KnownRows {
  private constructor(
    private readonly users: Map<string, BankUser>,
    private readonly projects: Map<string, BankProject>,
    private readonly freezes: Map<string, BankFreeze>,
    readonly feeAccountId: string,
  ) {}

  static async read(em: EntityManager, keys: LookupKeys): Promise<PrefetchedLookups> {
    const freezes =
      keys.freezeRequestNos.length === 0
        ? []
        : await em.find(BankFreeze, { requestNo: { $in: [...new Set(keys.freezeRequestNos)] } });
    const userNos = [...keys.userNos, ...freezes.map((freeze) => freeze.userNo)];
    const projectNos = [...keys.projectNos, ...freezes.map((freeze) => freeze.projectNo)];
    const users = userNos.length === 0 ? new Map<string, BankUser>() : await usersByNo(em, userNos);
    const projects =
      projectNos.length === 0 ? [] : await em.find(BankProject, { projectNo: { $in: [...new Set(projectNos)] } });
    return new PrefetchedLookups(
      users,
      new Map(projects.map((project) => [project.projectNo, project])),
      new Map(freezes.map((freeze) => [freeze.requestNo, freeze])),
      await lookupsIn(em).platformFeeAccountId(),
    );
  }

  user(userNo: string): BankUser | undefined {
    return this.users.get(userNo);
  }

  project(projectNo: string): BankProject | undefined {
    return this.projects.get(projectNo);
  }

  freeze(requestNo: string): BankFreeze | undefined {
    return this.freezes.get(requestNo);
  }

  within(tx: EntityManager): StableLookups {
    const read = lookupsIn(tx);
    return {
      userByNo: async (userNo) => this.users.get(userNo) ?? read.userByNo(userNo),
      usersByNo: async (userNos) =>
        userNos.every((userNo) => this.users.has(userNo)) ? this.users : read.usersByNo(userNos),
      projectByNo: async (projectNo) => this.projects.get(projectNo) ?? read.projectByNo(projectNo),
      freezeByRequestNo: async (requestNo) => this.freezes.get(requestNo) ?? read.freezeByRequestNo(requestNo),
      platformFeeAccountId: async () => this.feeAccountId,
    };
  }
}
