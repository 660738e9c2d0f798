import type { DatabaseKind } from '@wanxin/platform';
import type { PreTransactionBizType } from '@wanxin/platform/bank-protocol';
import { requestNo, startBankHarness, succeeded, type BankHarness } from '../src/testing';

export interface ProjectWithLender {
  lender: string;
  lenderFen: bigint;
  borrower: string;
  projectNo: string;
  amountFen: bigint;
  name: string;
}

/** Creates the FUNDRAISING project `projectNo` of the (registered) borrower; fails unless the bank says 00000. */
export async function createProject(
  harness: BankHarness,
  project: Pick<ProjectWithLender, 'borrower' | 'projectNo' | 'amountFen' | 'name'>,
): Promise<void> {
  succeeded(
    await harness.call('CREATE_PROJECT', {
      requestNo: requestNo(),
      projectNo: project.projectNo,
      borrowerUserNo: project.borrower,
      amountFen: project.amountFen.toString(),
      name: project.name,
    }),
  );
}

/** Registers a lender holding `lenderFen` and a borrower, whose FUNDRAISING project `projectNo` it creates. */
export async function lenderAndProject(harness: BankHarness, project: ProjectWithLender): Promise<void> {
  await harness.register(project.lender);
  await harness.register(project.borrower);
  await harness.recharge(project.lender, project.lenderFen);
  await createProject(harness, project);
}

/** One freeze on a project: a bid (TENDER) or an installment's collection (REPAYMENT). */
export interface Freeze {
  userNo: string;
  projectNo: string;
  bizType: PreTransactionBizType;
  amountFen: bigint;
  /** A fresh `F…` unless the test needs to know it. */
  requestNo?: string;
}

/** Sends one freeze (USER_AUTO_PRE_TRANSACTION); the bank's verified answer, whatever its code. */
export function freeze(harness: BankHarness, { requestNo: number = requestNo('F'), amountFen, ...rest }: Freeze) {
  return harness.call('USER_AUTO_PRE_TRANSACTION', { requestNo: number, ...rest, amountFen: amountFen.toString() });
}

/** A bank where ALICE holds `aliceFen` and BOB borrows through project P1 (10,000.00, FUNDRAISING), named `name`. */
export async function bankWithOneProject(kind: DatabaseKind, aliceFen: bigint, name: string): Promise<BankHarness> {
  const harness = await startBankHarness(kind);
  const project = { lender: 'ALICE', lenderFen: aliceFen, borrower: 'BOB', projectNo: 'P1', amountFen: 1_000_000n };
  await lenderAndProject(harness, { ...project, name });
  return harness;
}
