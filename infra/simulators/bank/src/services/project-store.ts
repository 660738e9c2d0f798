import { assert, type EntityManager } from '@wanxin/platform';
import type { BankFreeze } from '../entities/bank-freeze.entity';
import { BankProject } from '../entities/bank-project.entity';
import { BANK_PROJECT_STATUSES, type BankProjectStatus } from '@wanxin/platform/bank-protocol';
import { touchProject, touchProjects } from '../store';

/**
 * A project (by id or projectNo): its status changes, and every write on its freezes (freeze, payout,
 * release, repayment), go through one conditional update of the project row, taken before any account
 * row: it succeeds only while the status is still one of `allowed`, and the row lock it holds until
 * commit makes those writes wait for each other on MariaDB (SQLite has a single writer). So no freeze
 * slips in after a payout has read the open freezes, and a release racing a payout waits and then sees
 * the freeze settled; the unique `pendingId` of settlements remains the last guard.
 */
export async function touchProjectWhile(
  tx: EntityManager,
  project: string | { projectNo: string },
  allowed: readonly BankProjectStatus[],
  to?: BankProjectStatus,
): Promise<boolean> {
  assert(allowed.length > 0, 'a project write names the statuses it may happen in');
  // Straight SQL: this runs twice per installment of a due day (see raw-sql.ts in the platform).
  return (await touchProject(tx, typeof project === 'string' ? { id: project } : project, allowed, to)) === 1;
}

/** The status as committed now (after a refused conditional update, to say why). */
export async function currentProjectStatus(tx: EntityManager, projectId: string): Promise<BankProjectStatus> {
  const project = await tx.findOne(BankProject, { id: projectId }, { refresh: true });
  assert(project !== null, `project ${projectId} vanished`);
  return project.status;
}

/** Serialises a write on a freeze with every other write on its project's freezes, whatever the status. */
export async function lockProjectOfFreeze(tx: EntityManager, freeze: BankFreeze): Promise<void> {
  // By its unique projectNo: one statement, no read first.
  assert(
    await touchProjectWhile(tx, { projectNo: freeze.projectNo }, BANK_PROJECT_STATUSES),
    `project ${freeze.projectNo} of freeze ${freeze.requestNo} could not be locked`,
  );
}

/**
 * touchProjectWhile for many projects at once, whatever their status (a batch's items, each checked
 * against the status returned): one UPDATE per chunk takes every row lock, then their statuses are read
 * under it. Projects that do not exist are absent from the answer.
 */
export async function lockProjects(
  tx: EntityManager,
  projectNos: readonly string[],
): Promise<Map<string, BankProjectStatus>> {
  const rows = await touchProjects(tx, [...new Set(projectNos)].sort());
  return new Map(rows.map((row) => [row.project_no, row.status]));
}
