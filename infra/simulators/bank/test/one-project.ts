import type { DatabaseKind } from '@wanxin/platform';
import { requestNo, startBankHarness, succeeded, type BankHarness } from '../src/testing';

export interface ProjectWithLender {
  lender: string;
  lenderFen: bigint;
  borrower: string;
  projectNo: string;
  amountFen: bigint;
  name: string;
}

/** Registers a lender holding `lenderFen` and a borrower, whose FUNDRAISING project `projectNo` it creates. */
export async function lenderAndProject(harness: BankHarness, project: ProjectWithLender): Promise<void> {
  await harness.register(project.lender);
  await harness.register(project.borrower);
  await harness.recharge(project.lender, project.lenderFen);
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

/** A bank where ALICE holds `aliceFen` and BOB borrows through project P1 (10,000.00, FUNDRAISING), named `name`. */
export async function bankWithOneProject(kind: DatabaseKind, aliceFen: bigint, name: string): Promise<BankHarness> {
  const harness = await startBankHarness(kind);
  const project = { lender: 'ALICE', lenderFen: aliceFen, borrower: 'BOB', projectNo: 'P1', amountFen: 1_000_000n };
  await lenderAndProject(harness, { ...project, name });
  return harness;
}
