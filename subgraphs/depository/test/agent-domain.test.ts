// Proves the agent's pure rules: how a bank result moves a request (the bank is the truth, a confirmed
// request never changes), which account states may start opening, what opening input is refused, that
// reconciliation puts every request of either side in exactly one line, and what a claim transfer
// (CREDIT_ASSIGNMENT) is expected to move and writes on each party's statement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { moveOnResult, newRequestNo, resultMismatch, statusAfterResult } from '../src/domain/depository-request';
import { canStartOpening, holderForOpening, openAccountProblem, openingStep } from '../src/domain/open-account';
import { reconcile, type BankRecord, type PlatformRecord } from '../src/domain/reconciliation';
import { expectedAmountFen } from '../src/domain/request-amount';
import { answeredRequestOf } from '../src/agent/statement-entries';
import { statementEntriesOf } from '../src/domain/statement';
import { BANK_CODES, creditAssignmentRequest, type PostingFen } from '@wanxin/platform/bank-protocol';

test('a bank result moves UNSYNC either way, revives FAILED on a late success, and never moves SYNC', () => {
  assert.equal(statusAfterResult('UNSYNC', true), 'SYNC');
  assert.equal(statusAfterResult('UNSYNC', false), 'FAILED');
  assert.equal(statusAfterResult('FAILED', true), 'SYNC');
  assert.equal(statusAfterResult('FAILED', false), null);
  assert.equal(statusAfterResult('SYNC', false), null);
  assert.equal(statusAfterResult('SYNC', true), null);
});

test('a result applied as one conditional update moves exactly what statusAfterResult moves', () => {
  assert.deepEqual(moveOnResult(true), { from: ['UNSYNC', 'FAILED'], to: 'SYNC' });
  assert.deepEqual(moveOnResult(false), { from: ['UNSYNC'], to: 'FAILED' });
});

test('requestNos are prefixed, unique and within the bank’s 40 characters', () => {
  const numbers = Array.from({ length: 1000 }, () => newRequestNo('RECHARGE'));
  assert.equal(new Set(numbers).size, numbers.length);
  for (const requestNo of numbers) assert.match(requestNo, /^RC[0-9A-F]{32}$/);
});

test('opening starts from NOT_OPENED or FAILED only, with valid identity and card', () => {
  assert.ok(canStartOpening('NOT_OPENED') && canStartOpening('FAILED'));
  assert.ok(!canStartOpening('PENDING') && !canStartOpening('OPENED'));
  // A new call while PENDING replaces the unfinished opening; only an OPENED account is refused.
  assert.deepEqual((['NOT_OPENED', 'FAILED', 'PENDING', 'OPENED'] as const).map(openingStep), [
    'START',
    'START',
    'SUPERSEDE',
    'REFUSE',
  ]);
  const valid = {
    realName: '王小明',
    idNumber: '11010519491231002X',
    bankCode: 'ICBC',
    cardNumber: '6222020000001234567',
    cardMobile: '13800000001',
  };
  assert.equal(openAccountProblem(valid), null);
  assert.equal(openAccountProblem({ ...valid, idNumber: '110105194912310021' })?.field, 'idNumber', 'checksum');
  assert.equal(openAccountProblem({ ...valid, cardNumber: '1234' })?.field, 'cardNumber');
  assert.equal(openAccountProblem({ ...valid, cardMobile: '12345' })?.field, 'cardMobile');
  assert.equal(openAccountProblem({ ...valid, realName: '' })?.field, 'realName');
});

test('reconciliation classifies every request of either side exactly once', () => {
  const platform: PlatformRecord[] = [
    { requestNo: 'A', serviceName: 'RECHARGE', status: 'SYNC', amountFen: 100n },
    { requestNo: 'B', serviceName: 'RECHARGE', status: 'SYNC', amountFen: 100n },
    { requestNo: 'C', serviceName: 'WITHDRAW', status: 'FAILED', amountFen: 50n },
    { requestNo: 'D', serviceName: 'RECHARGE', status: 'UNSYNC', amountFen: 70n },
    { requestNo: 'E', serviceName: 'RECHARGE', status: 'SYNC', amountFen: 100n },
    { requestNo: 'F', serviceName: 'CONFIRM_LOAN', status: 'SYNC', amountFen: 900n },
    { requestNo: 'H', serviceName: 'RECHARGE', status: 'SYNC', amountFen: 100n },
  ];
  const bank: BankRecord[] = [
    { requestNo: 'A', serviceName: 'RECHARGE', status: 'SUCCESS', amountFen: 100n },
    { requestNo: 'B', serviceName: 'RECHARGE', status: 'SUCCESS', amountFen: 101n },
    { requestNo: 'D', serviceName: 'RECHARGE', status: 'SUCCESS', amountFen: 70n },
    { requestNo: 'E', serviceName: 'RECHARGE', status: 'FAILED', amountFen: null },
    { requestNo: 'G', serviceName: 'RECHARGE', status: 'SUCCESS', amountFen: 5n },
    // A RECHARGE form replayed as WITHDRAW: same requestNo, status and amount, another service.
    { requestNo: 'H', serviceName: 'WITHDRAW', status: 'SUCCESS', amountFen: 100n },
  ];
  const lines = reconcile(platform, bank);
  assert.deepEqual(
    lines.map((line) => `${line.requestNo}:${line.result}`),
    [
      'A:MATCHED',
      'B:AMOUNT_MISMATCH',
      'C:NOT_SUBMITTED',
      'D:STATUS_MISMATCH',
      'E:STATUS_MISMATCH',
      'F:MISSING_AT_BANK',
      'G:MISSING_AT_PLATFORM',
      'H:SERVICE_MISMATCH',
    ],
  );
});

test('a bank result is applied only to the stored request of its service, user and amount', () => {
  const recharge = { serviceName: 'RECHARGE', userNo: 'U1', amountFen: 5_000_000n };
  assert.equal(
    resultMismatch(recharge, 'RECHARGE', { code: BANK_CODES.SUCCESS, userNo: 'U1', amountFen: '5000000' }),
    null,
  );
  assert.equal(
    resultMismatch(recharge, 'RECHARGE', { code: BANK_CODES.CARD_BALANCE_TOO_LOW }),
    null,
    'a refusal need not name them',
  );
  assert.match(
    resultMismatch(recharge, 'QUERY_BALANCE', { code: BANK_CODES.SUCCESS, userNo: 'U1' }) ?? '',
    /QUERY_BALANCE result/,
  );
  assert.match(
    resultMismatch(recharge, 'WITHDRAW', { code: BANK_CODES.SUCCESS, userNo: 'U1', amountFen: '5000000' }) ?? '',
    /WITHDRAW result/,
  );
  assert.match(
    resultMismatch(recharge, 'RECHARGE', { code: BANK_CODES.SUCCESS, userNo: 'U1' }) ?? '',
    /amount/,
    'a success must name the amount',
  );
  assert.match(
    resultMismatch(recharge, 'RECHARGE', { code: BANK_CODES.SUCCESS, userNo: 'U2', amountFen: '5000000' }) ?? '',
    /user/,
  );
  assert.match(
    resultMismatch(recharge, 'RECHARGE', { code: BANK_CODES.CARD_BALANCE_TOO_LOW, userNo: 'U1', amountFen: '1' }) ?? '',
    /amount/,
  );
  const opening = { serviceName: 'PERSONAL_REGISTER', userNo: 'U1', amountFen: null };
  assert.equal(resultMismatch(opening, 'PERSONAL_REGISTER', { code: BANK_CODES.SUCCESS, userNo: 'U1' }), null);
  assert.match(resultMismatch(opening, 'PERSONAL_REGISTER', { code: BANK_CODES.SUCCESS }) ?? '', /user/);
  assert.equal(
    resultMismatch({ serviceName: 'CONFIRM_LOAN', userNo: null, amountFen: null }, 'CONFIRM_LOAN', {
      code: BANK_CODES.SUCCESS,
    }),
    null,
  );
});

test('an account opens for the verified identity only; a stated name or ID number must be that one', () => {
  const verified = { realName: '王小明', idNumber: '110105199001011232' };
  assert.deepEqual(holderForOpening({}, null), { ok: false, refusal: { rule: 'NOT_VERIFIED' } });
  assert.deepEqual(holderForOpening(verified, null), { ok: false, refusal: { rule: 'NOT_VERIFIED' } });
  assert.deepEqual(holderForOpening({}, verified), { ok: true, holder: verified });
  assert.deepEqual(holderForOpening({ realName: null, idNumber: null }, verified), { ok: true, holder: verified });
  assert.deepEqual(holderForOpening(verified, verified), { ok: true, holder: verified });
  assert.deepEqual(holderForOpening({ idNumber: '110105199001011240' }, verified), {
    ok: false,
    refusal: { rule: 'MISMATCH', field: 'idNumber' },
  });
  assert.deepEqual(holderForOpening({ realName: '王小明 ' }, verified), {
    ok: false,
    refusal: { rule: 'MISMATCH', field: 'realName' },
  });
});

test('a claim transfer is expected to move its price, and writes bought, sold and fee on the statements', () => {
  const instruction = creditAssignmentRequest({
    requestNo: 'CA1',
    projectNo: 'LN1',
    sellerUserNo: 'SELLER',
    buyerUserNo: 'BUYER',
    amountFen: 101_234n,
    feeFen: 506n,
  });
  const noRecords = { freezes: new Map(), projects: new Map() };
  assert.equal(expectedAmountFen('CREDIT_ASSIGNMENT', instruction, noRecords), 101_234n, 'the price');
  const request = { requestNo: 'CA1', serviceName: 'CREDIT_ASSIGNMENT', businessDate: '2026-12-06' };
  const answered = answeredRequestOf(request, instruction, new Map());
  const posting = (userNo: string, seq: bigint, changeFen: bigint, availableFen: bigint): PostingFen => ({
    userNo,
    seq,
    availableChangeFen: changeFen,
    frozenChangeFen: 0n,
    availableFen,
    frozenFen: 0n,
  });
  const entries = statementEntriesOf(answered, [
    posting('BUYER', 2n, -101_234n, 398_766n),
    posting('SELLER', 4n, 101_234n, 101_234n),
    posting('SELLER', 5n, -506n, 100_728n),
  ]);
  assert.deepEqual(
    entries.map((entry) => [entry.userNo, entry.kind, entry.amountFen, entry.availableAfterFen, entry.reference]),
    [
      ['BUYER', 'TRANSFER_BOUGHT', -101_234n, 398_766n, 'LN1'],
      ['SELLER', 'TRANSFER_SOLD', 101_234n, 101_234n, 'LN1'],
      ['SELLER', 'FEE', -506n, 100_728n, 'LN1'],
    ],
  );
  assert.throws(
    () => creditAssignmentRequest({ ...instruction, amountFen: 1000n, feeFen: 1000n }),
    /feeFen/,
    'a fee that is not below the price is never sent',
  );
  assert.throws(
    () => creditAssignmentRequest({ ...instruction, amountFen: 1000n, feeFen: 5n, buyerUserNo: 'SELLER' }),
    /buyerUserNo/,
    'nor a sale to oneself',
  );
});
