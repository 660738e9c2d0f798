import type { EntityManager } from '@wanxin/platform';
import { BankFreeze } from '../entities/bank-freeze.entity';
import { BankProject } from '../entities/bank-project.entity';
import { BankUser } from '../entities/bank-user.entity';

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
