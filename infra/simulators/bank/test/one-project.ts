import type { DatabaseKind } from '@wanxin/platform';
import { requestNo, startBankHarness, succeeded, type BankHarness } from '../src/testing';

/** A bank where ALICE holds `aliceFen` and BOB borrows through project P1 (10,000.00, FUNDRAISING), named `name`. */
export async function bankWithOneProject(kind: DatabaseKind, aliceFen: bigint, name: string): Promise<BankHarness> {
  const harness = await startBankHarness(kind);
  await harness.register('ALICE');
  await harness.register('BOB');
  await harness.recharge('ALICE', aliceFen);
  succeeded(
    await harness.call('CREATE_PROJECT', {
      requestNo: requestNo(),
      projectNo: 'P1',
      borrowerUserNo: 'BOB',
      amountFen: '1000000',
      name,
    }),
  );
  return harness;
}
