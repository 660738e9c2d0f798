import { bankUserIdOf, type EntityManager, type Logger } from '@wanxin/platform';
import { BANK_CODES, POSTING_SERVICE_NAMES, postingsOf } from '@wanxin/platform/bank-protocol';
import { bizTypeOf, type RecordedFreeze } from '../domain/request-amount';
import { statementEntriesOf, type AnsweredRequest } from '../domain/statement';
import { DepositoryRequest } from '../entities/depository-request.entity';
import { insertStatementEntriesUnlessRecorded } from '../store';

/** A request as the agent knows it, with the bank's answer to it. */
export interface Answer {
  request: AnsweredRequest;
  result: { code: string };
}

/** A direct instruction's reqData, as sent. */
export type Instruction = Record<string, unknown>;

function textOf(instruction: Instruction, field: string): string | null {
  const value = instruction[field];
  return typeof value === 'string' ? value : null;
}

/** The freeze an instruction settles (a release, a repayment), if it names one. */
export function preRequestNoOf(instruction: Instruction): string | null {
  return textOf(instruction, 'preRequestNo');
}

/** Each investor's share of a repayment, from the instruction's details. */
function sharesOf(instruction: Instruction): AnsweredRequest['shares'] {
  const details = instruction.details;
  if (!Array.isArray(details)) return new Map();
  return new Map(
    (details as { userNo: string; principalFen: string; interestFen: string }[]).map((detail) => [
      detail.userNo,
      { principalFen: BigInt(detail.principalFen), interestFen: BigInt(detail.interestFen) },
    ]),
  );
}

/**
 * What a statement needs of a request: a freeze names its project and kind; a release or a repayment is read
 * through the recorded freeze it settles; a claim transfer names its project and its seller.
 */
export function answeredRequestOf(
  request: Pick<DepositoryRequest, 'requestNo' | 'serviceName' | 'businessDate'>,
  instruction: Instruction,
  freezes: ReadonlyMap<string, RecordedFreeze>,
): AnsweredRequest {
  const preRequestNo = preRequestNoOf(instruction);
  const freeze =
    preRequestNo === null
      ? { projectNo: textOf(instruction, 'projectNo'), bizType: bizTypeOf(instruction) }
      : (freezes.get(preRequestNo) ?? { projectNo: null, bizType: null });
  const { requestNo, serviceName, businessDate } = request;
  const { projectNo, bizType } = freeze;
  const sellerUserNo = textOf(instruction, 'sellerUserNo');
  return { requestNo, serviceName, businessDate, projectNo, bizType, shares: sharesOf(instruction), sellerUserNo };
}

/** The freezes `preRequestNos` name, as recorded. */
export async function recordedFreezes(
  em: EntityManager,
  preRequestNos: readonly string[],
): Promise<Map<string, RecordedFreeze>> {
  if (preRequestNos.length === 0) return new Map();
  const freezes = await em.find(
    DepositoryRequest,
    { requestNo: { $in: [...new Set(preRequestNos)] } },
    { fields: ['requestNo', 'amountFen', 'projectNo', 'bizType'] },
  );
  return new Map(
    freezes.map(({ requestNo, amountFen, projectNo, bizType }) => [requestNo, { amountFen, projectNo, bizType }]),
  );
}

/** A request as recorded, with its instruction read. */
export interface RecordedRequest extends Pick<DepositoryRequest, 'requestNo' | 'serviceName' | 'businessDate'> {
  instruction: Instruction;
}

/** What statements need of recorded requests, reading the freezes they settle in one query. */
export async function answeredRequestsOf(
  em: EntityManager,
  requests: readonly RecordedRequest[],
): Promise<AnsweredRequest[]> {
  const freezes = await recordedFreezes(
    em,
    requests.flatMap(({ instruction }) => preRequestNoOf(instruction) ?? []),
  );
  return requests.map((request) => answeredRequestOf(request, request.instruction, freezes));
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
  const drafts = answers.flatMap(({ request, result }) => {
    const moving =
      result.code === BANK_CODES.SUCCESS && (POSTING_SERVICE_NAMES as readonly string[]).includes(request.serviceName);
    if (!moving) return [];
    const postings = postingsOf(result);
    if (postings === null) {
      logger.error({ requestNo: request.requestNo }, 'a success answer without its postings: no statement entry');
      return [];
    }
    return statementEntriesOf(request, postings);
  });
  const entries = drafts.flatMap(({ userNo, ...entry }) => {
    const userId = bankUserIdOf(userNo);
    if (userId === null) logger.error({ userNo, requestNo: entry.requestNo }, 'a posting for no user account');
    return userId === null ? [] : [{ ...entry, userId }];
  });
  await insertStatementEntriesUnlessRecorded(em, entries);
}
