import type { EntityManager, Logger } from '@wanxin/platform';
import {
  BANK_CODES,
  POSTING_SERVICE_NAMES,
  postingsOf,
  type PreTransactionBizType,
} from '@wanxin/platform/bank-protocol';
import { statementEntriesOf, type AnsweredRequest } from '../domain/statement';
import { DepositoryAccount } from '../entities/depository-account.entity';
import { DepositoryRequest } from '../entities/depository-request.entity';
import { insertStatementEntriesUnlessRecorded } from '../store';

/** A request as recorded, with the bank's answer to it. */
export interface Answer {
  request: Pick<DepositoryRequest, 'requestNo' | 'serviceName' | 'businessDate' | 'instruction'>;
  result: { code: string };
}

type Instruction = Record<string, unknown> | null;

/** The stored instruction as an object: MariaDB keeps a JSON column as text, and its driver hands the text back. */
function instructionOf(stored: unknown): Instruction {
  return typeof stored === 'string' ? (JSON.parse(stored) as Instruction) : (stored as Instruction);
}

function textOf(instruction: Instruction, field: string): string | null {
  const value = instruction?.[field];
  return typeof value === 'string' ? value : null;
}

/** Each investor's share of a repayment, from the instruction's details. */
function sharesOf(instruction: Instruction): AnsweredRequest['shares'] {
  const details = instruction?.details;
  if (!Array.isArray(details)) return new Map();
  return new Map(
    (details as { userNo: string; principalFen: string; interestFen: string }[]).map((detail) => [
      detail.userNo,
      { principalFen: BigInt(detail.principalFen), interestFen: BigInt(detail.interestFen) },
    ]),
  );
}

/** The freezes that releases and repayments among `answers` settle, by requestNo, with their instructions. */
async function freezesSettled(em: EntityManager, answers: readonly Answer[]): Promise<Map<string, Instruction>> {
  const preRequestNos = answers.flatMap(
    ({ request }) => textOf(instructionOf(request.instruction), 'preRequestNo') ?? [],
  );
  if (preRequestNos.length === 0) return new Map();
  const freezes = await em.find(
    DepositoryRequest,
    { requestNo: { $in: [...new Set(preRequestNos)] } },
    { fields: ['requestNo', 'instruction'] },
  );
  return new Map(freezes.map((freeze) => [freeze.requestNo, instructionOf(freeze.instruction)]));
}

function answeredRequest(answer: Answer, freezes: ReadonlyMap<string, Instruction>): AnsweredRequest {
  const { request } = answer;
  const instruction = instructionOf(request.instruction);
  const preRequestNo = textOf(instruction, 'preRequestNo');
  // A freeze names its project and kind; a release or a repayment is read through the freeze it settles.
  const freeze = preRequestNo === null ? instruction : (freezes.get(preRequestNo) ?? null);
  return {
    requestNo: request.requestNo,
    serviceName: request.serviceName,
    businessDate: request.businessDate,
    projectNo: textOf(freeze, 'projectNo'),
    bizType: textOf(freeze, 'bizType') as PreTransactionBizType | null,
    shares: sharesOf(instruction),
  };
}

/**
 * Writes the statement entries of the success answers among `answers`, inside the caller's transaction (the
 * one that records the answers): one entry for each posting, once whichever way the answer came.
 */
export async function recordStatementEntries(
  em: EntityManager,
  answers: readonly Answer[],
  logger: Logger,
): Promise<void> {
  const moving = answers.filter(
    ({ request, result }) =>
      result.code === BANK_CODES.SUCCESS && (POSTING_SERVICE_NAMES as readonly string[]).includes(request.serviceName),
  );
  if (moving.length === 0) return;
  const freezes = await freezesSettled(em, moving);
  const drafts = moving.flatMap((answer) => {
    const postings = postingsOf(answer.result);
    if (postings === null) {
      logger.error(
        { requestNo: answer.request.requestNo },
        'a success answer without its postings: no statement entry',
      );
      return [];
    }
    return statementEntriesOf(answeredRequest(answer, freezes), postings);
  });
  const owners = await ownersOf(
    em,
    drafts.map((draft) => draft.userNo),
  );
  const entries = drafts.flatMap(({ userNo, ...entry }) => {
    const userId = owners.get(userNo);
    if (userId === undefined) logger.error({ userNo, requestNo: entry.requestNo }, 'a posting for an unknown account');
    return userId === undefined ? [] : [{ ...entry, userId }];
  });
  await insertStatementEntriesUnlessRecorded(em, entries);
}

/** The users whose accounts the bank numbers `userNos`. */
async function ownersOf(em: EntityManager, userNos: readonly string[]): Promise<Map<string, string>> {
  if (userNos.length === 0) return new Map();
  const accounts = await em.find(
    DepositoryAccount,
    { userNo: { $in: [...new Set(userNos)] } },
    { fields: ['userId', 'userNo'] },
  );
  return new Map(accounts.map((account) => [account.userNo, account.userId]));
}
