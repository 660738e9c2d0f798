import { randomBytes } from 'node:crypto';
import { assert } from '../assert';
import { decodeData, encodeData, signJson, verifyJson } from '../signing';

/**
 * The custodian bank's wire protocol, shared by the bank and the platform's agent (which may talk to a
 * real bank instead, configured by BANK_URL). Every request is `{serviceName, platformNo, reqData,
 * signature}` signed by the platform's private key; every answer is `{messageType: "RESPONSE",
 * serviceName, platformNo, respData, signature}` and every notification the same with `messageType:
 * "NOTIFICATION"`, signed by the bank. `reqData`/`respData` is base64 of a JSON text; the signature is
 * RSA-SHA256 over signingText(messageType, serviceName, platformNo, json) (a request's messageType is
 * REQUEST), so a form cannot be replayed as another service and an answer cannot pass for a notification.
 * Amounts travel as integer fen written as decimal strings ("5000000" is 50,000.00 yuan), never as JSON numbers.
 */

// ---------------------------------------------------------------------------------------------------
// Services

export const BANK_SERVICE_NAMES = [
  'PERSONAL_REGISTER',
  'RECHARGE',
  'WITHDRAW',
  'CREATE_PROJECT',
  'MODIFY_PROJECT',
  'USER_AUTO_PRE_TRANSACTION',
  'CANCEL_PRE_TRANSACTION',
  'CANCEL_PAGE_REQUEST',
  'CONFIRM_LOAN',
  'CONFIRM_REPAYMENT',
  'CREDIT_ASSIGNMENT',
  'BATCH_TRANSACTION',
  'QUERY_REQUEST',
  'QUERY_BALANCE',
  'QUERY_RECONCILIATION',
] as const;
export type BankServiceName = (typeof BANK_SERVICE_NAMES)[number];

/** Completed by the user on the bank's page (POST /gateway with the trade password); answered by notification. */
export const PAGE_SERVICE_NAMES = ['PERSONAL_REGISTER', 'RECHARGE', 'WITHDRAW'] as const;
export type PageServiceName = (typeof PAGE_SERVICE_NAMES)[number];

/** Read-only services: answered fresh every time, never recorded under their requestNo. */
export const QUERY_SERVICE_NAMES = ['QUERY_REQUEST', 'QUERY_BALANCE', 'QUERY_RECONCILIATION'] as const;
export type QueryServiceName = (typeof QUERY_SERVICE_NAMES)[number];

/** Direct services that move money on users' accounts (and so answer with their postings). */
export const MONEY_MOVING_DIRECT_SERVICE_NAMES = [
  'USER_AUTO_PRE_TRANSACTION',
  'CANCEL_PRE_TRANSACTION',
  'CONFIRM_LOAN',
  'CONFIRM_REPAYMENT',
  'CREDIT_ASSIGNMENT',
] as const;

/** Services that change the books without the user's page: the ones a BATCH_TRANSACTION may carry. */
export const DIRECT_SERVICE_NAMES = ['CREATE_PROJECT', 'MODIFY_PROJECT', ...MONEY_MOVING_DIRECT_SERVICE_NAMES] as const;
export type DirectServiceName = (typeof DIRECT_SERVICE_NAMES)[number];

export function isBankServiceName(name: unknown): name is BankServiceName {
  return typeof name === 'string' && (BANK_SERVICE_NAMES as readonly string[]).includes(name);
}

export function isPageService(name: BankServiceName): name is PageServiceName {
  return (PAGE_SERVICE_NAMES as readonly string[]).includes(name);
}

export function isQueryService(name: BankServiceName): name is QueryServiceName {
  return (QUERY_SERVICE_NAMES as readonly string[]).includes(name);
}

/** An instruction is every service the bank records under its requestNo: all but queries and the batch envelope. */
export type InstructionServiceName = Exclude<BankServiceName, QueryServiceName | 'BATCH_TRANSACTION'>;

export function isInstructionService(name: BankServiceName): name is InstructionServiceName {
  return !isQueryService(name) && name !== 'BATCH_TRANSACTION';
}

/** Paths of the bank's HTTP API, relative to BANK_URL. */
export const BANK_PATHS = {
  /** Direct services: POST JSON envelope, JSON `{respData, signature}` back. */
  service: '/service',
  /** The bank's page for PERSONAL_REGISTER, RECHARGE, WITHDRAW: form post (plus `password`). */
  gateway: '/gateway',
} as const;

/** The agent acknowledges a notification by answering exactly this body; anything else is retried. */
export const NOTIFICATION_ACKNOWLEDGEMENT = 'OK';

// ---------------------------------------------------------------------------------------------------
// Return codes: the one registry

export const BANK_CODES = {
  SUCCESS: '00000',
  SYSTEM_ERROR: '00001',
  BAD_PARAMETERS: '00003',
  BAD_SIGNATURE: '00004',
  /** A user, project, freeze (preRequestNo) or earlier request (QUERY_REQUEST) that does not exist. */
  NOT_FOUND: '30010',
  CARD_BALANCE_TOO_LOW: '30041',
  ACCOUNT_BALANCE_TOO_LOW: '30042',
  /** The trade password was wrong 3 times on this request (page form): it is refused for good. */
  FORM_LOCKED: '30051',
  /** 5 wrong trade passwords of the user within 24 hours: their pages are refused until the tries age out. */
  TRADE_PASSWORD_LOCKED: '30052',
  /** A page form submitted after its lifetime (the bank's FORM_LIFETIME_MS from `issuedAt`): start again. */
  FORM_EXPIRED: '30053',
  /** PERSONAL_REGISTER for an ID number that already has an account (of another userNo). */
  ID_NUMBER_TAKEN: '30061',
} as const;
export type BankCode = (typeof BANK_CODES)[keyof typeof BANK_CODES];

export const BANK_CODE_MEANINGS: Record<BankCode, string> = {
  '00000': 'success',
  '00001': 'system error: nothing was applied, the request may be sent again',
  '00003': 'bad parameters',
  '00004': 'bad signature',
  '30010': 'not found',
  '30041': 'card balance too low',
  '30042': 'account balance too low',
  '30051': 'too many wrong trade passwords on this request',
  '30052': 'trade password locked: too many wrong tries in 24 hours',
  '30053': 'the page form has expired: start again from the platform',
  '30061': 'this ID number already has an account',
};

export function isBankCode(code: unknown): code is BankCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(BANK_CODE_MEANINGS, code);
}

// ---------------------------------------------------------------------------------------------------
// reqData of each service (amounts: integer fen as decimal strings)

/** Every request names itself: at most 40 of [A-Za-z0-9_-], unique per platform. */
export const REQUEST_NO_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
/** userNo and projectNo follow the same rule. */
export const REFERENCE_NO_PATTERN = REQUEST_NO_PATTERN;

/** A purpose prefix: a few capital letters that make a requestNo readable in logs and reconciliation reports. */
const REQUEST_NO_PREFIX_PATTERN = /^[A-Z]{1,8}$/;
/** Random bytes after the prefix: 128 bits, so numbers from every process never meet. */
const REQUEST_NO_RANDOM_BYTES = 16;

/** A fresh requestNo: `prefix` and 32 upper-case hex digits (at most 40 characters, the bank's limit). */
export function newBankRequestNo(prefix: string): string {
  assert(REQUEST_NO_PREFIX_PATTERN.test(prefix), `requestNo prefix ${prefix} must be 1-8 capital letters`);
  const requestNo = `${prefix}${randomBytes(REQUEST_NO_RANDOM_BYTES).toString('hex').toUpperCase()}`;
  assert(REQUEST_NO_PATTERN.test(requestNo), `request number ${requestNo}`);
  return requestNo;
}

/**
 * What every instruction carries. `accountingDate` is the platform's business date when it sent the
 * instruction (YYYY-MM-DD): the bank books the instruction under that day, and its reconciliation file for a
 * day lists exactly the instructions booked on it. A real bank reconciles by its accounting date, not by the
 * calendar day a message arrived, and the platform's business clock may run ahead of the wall clock.
 */
export interface Instruction {
  requestNo: string;
  accountingDate: string;
}

const ACCOUNTING_DATE_PATTERN = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/** Whether `value` is a real calendar day written YYYY-MM-DD (no 2026-02-30). */
export function isAccountingDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ACCOUNTING_DATE_PATTERN.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00.000Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** A page service's form: `issuedAt` (ISO 8601, UTC) is when the platform issued it; the bank refuses it once expired. */
export interface PageInstruction extends Instruction {
  issuedAt: string;
}

export interface PersonalRegisterRequest extends PageInstruction {
  userNo: string;
  realName: string;
  /** 18 characters, GB 11643 checksum. */
  idNumber: string;
  bankCode: string;
  /** 12 to 19 digits. */
  cardNumber: string;
  cardMobile: string;
}

export interface RechargeRequest extends PageInstruction {
  userNo: string;
  amountFen: string;
}

export type WithdrawRequest = RechargeRequest;

export interface CreateProjectRequest extends Instruction {
  projectNo: string;
  borrowerUserNo: string;
  amountFen: string;
  name: string;
}

/** A project at the bank; CONFIRM_LOAN moves it to REPAYING, MODIFY_PROJECT does the rest. */
export const BANK_PROJECT_STATUSES = ['FUNDRAISING', 'FULLY_FUNDED', 'REPAYING', 'SETTLED', 'FAILED'] as const;
export type BankProjectStatus = (typeof BANK_PROJECT_STATUSES)[number];

export interface ModifyProjectRequest extends Instruction {
  projectNo: string;
  status: BankProjectStatus;
}

export const PRE_TRANSACTION_BIZ_TYPES = ['TENDER', 'REPAYMENT'] as const;
export type PreTransactionBizType = (typeof PRE_TRANSACTION_BIZ_TYPES)[number];

/** A freeze: TENDER freezes an investor's bid for the project; REPAYMENT freezes the borrower's installment. */
export interface UserAutoPreTransactionRequest extends Instruction {
  userNo: string;
  projectNo: string;
  bizType: PreTransactionBizType;
  amountFen: string;
}

/** Releases the freeze made by request `preRequestNo`. */
export interface CancelPreTransactionRequest extends Instruction {
  preRequestNo: string;
}

/**
 * Cancels a page request the user has not submitted (the platform issued a new one in its place): a
 * later submission of it runs nothing. Not batchable: the platform sends it while the user waits.
 */
export interface CancelPageRequestRequest extends Instruction {
  cancelRequestNo: string;
  cancelServiceName: PageServiceName;
}

/** Settles every open TENDER freeze of the project: the borrower gets the total less `feeFen`. */
export interface ConfirmLoanRequest extends Instruction {
  projectNo: string;
  /** "0" for no fee. */
  feeFen: string;
}

export interface RepaymentDetail {
  userNo: string;
  principalFen: string;
  interestFen: string;
}

/** Settles the REPAYMENT freeze `preRequestNo`: Σ(principal + interest) + commission must equal it exactly. */
export interface ConfirmRepaymentRequest extends Instruction {
  preRequestNo: string;
  details: RepaymentDetail[];
  /** "0" for no commission. */
  commissionFen: string;
}

/**
 * A claim transfer (债权转让) settled at the bank, all or nothing: the buyer's available balance pays the
 * price `amountFen` to the seller, and the seller pays `feeFen` of it to the platform's fee account (the
 * account CONFIRM_REPAYMENT's commission goes to). The seller's account takes two postings, the price and
 * then the fee (none when the fee is "0"), so a statement shows both. The project must be REPAYING; the
 * seller and the buyer differ; 0 ≤ fee < price (creditAssignmentProblem). The buyer short of the price:
 * 30042, and nothing moves.
 */
export interface CreditAssignmentRequest extends Instruction {
  /** The loan's project (its loanNo). */
  projectNo: string;
  sellerUserNo: string;
  buyerUserNo: string;
  /** The price the buyer pays, above zero. */
  amountFen: string;
  /** The platform's fee, out of the price: "0" for none. */
  feeFen: string;
}

/** A claim transfer's parties and figures, read: what must hold before the bank is asked. */
export interface CreditAssignmentTerms {
  sellerUserNo: string;
  buyerUserNo: string;
  amountFen: bigint;
  feeFen: bigint;
}

/**
 * Why a claim transfer cannot settle as written, naming the field the bank refuses (00003), or null. The
 * bank checks this on every CREDIT_ASSIGNMENT; the platform's builder asserts it before sending one.
 */
export function creditAssignmentProblem(terms: CreditAssignmentTerms): { field: string; reason: string } | null {
  if (terms.sellerUserNo === terms.buyerUserNo) return { field: 'buyerUserNo', reason: 'must not be the seller' };
  if (terms.amountFen <= 0n) return { field: 'amountFen', reason: 'must be above zero' };
  if (terms.feeFen < 0n) return { field: 'feeFen', reason: 'must not be negative' };
  if (terms.feeFen >= terms.amountFen)
    return { field: 'feeFen', reason: `must be below the amount ${terms.amountFen}` };
  return null;
}

/** What a platform service knows of a claim transfer when it asks the bank to settle it. */
export interface CreditAssignmentOrder extends CreditAssignmentTerms {
  requestNo: string;
  projectNo: string;
}

/** A CREDIT_ASSIGNMENT's reqData as a subgraph sends it through the agent (which adds `accountingDate`). */
export type UndatedCreditAssignment = Omit<CreditAssignmentRequest, 'accountingDate'>;

/**
 * The reqData of a claim transfer's settlement, with its figures written as the protocol writes them.
 * Terms the bank would refuse as malformed are a bug of the caller: asserted here, never sent.
 */
export function creditAssignmentRequest(order: CreditAssignmentOrder): UndatedCreditAssignment {
  const problem = creditAssignmentProblem(order);
  assert(problem === null, `credit assignment ${order.requestNo}: ${problem?.field} ${problem?.reason}`);
  for (const reference of [order.requestNo, order.projectNo, order.sellerUserNo, order.buyerUserNo])
    assert(REFERENCE_NO_PATTERN.test(reference), `credit assignment: ${reference} is not a bank reference`);
  return {
    requestNo: order.requestNo,
    projectNo: order.projectNo,
    sellerUserNo: order.sellerUserNo,
    buyerUserNo: order.buyerUserNo,
    amountFen: fenText(order.amountFen),
    feeFen: fenText(order.feeFen),
  };
}

/** Instructions one BATCH_TRANSACTION carries, at most. */
export const BATCH_ITEMS_MAX = 200;

/**
 * One instruction of a batch: `reqData` is its JSON text (with its own `accountingDate`), exactly as it would be signed alone, so the
 * bank records it under its own requestNo with the same body whether it came alone or in a batch.
 */
export interface BatchItem {
  serviceName: DirectServiceName;
  reqData: string;
}

/**
 * Many direct instructions under one signature. Each item is applied exactly once under its own
 * requestNo, as if sent alone (a refused item leaves the others applied), concurrently and in no set
 * order, so a batch holds no item that needs another of the same batch. The batch's own requestNo only
 * names the answer and is not recorded. A malformed item list refuses the whole batch, nothing applied.
 */
export interface BatchTransactionRequest {
  requestNo: string;
  items: BatchItem[];
}

export interface QueryRequestRequest {
  requestNo: string;
  queryRequestNo: string;
}

export interface QueryBalanceRequest {
  requestNo: string;
  userNo: string;
}

/** The bank's record of one accounting date, for the platform's daily reconciliation. */
export interface QueryReconciliationRequest {
  requestNo: string;
  /** YYYY-MM-DD: the instructions booked on this accounting date (their `accountingDate`). */
  date: string;
}

/** One recorded request as the bank's reconciliation file lists it. */
export interface ReconciliationRecord {
  requestNo: string;
  serviceName: string;
  status: BankRequestStatus;
  code: string;
  /** The amount moved or frozen, when the answer names one (integer fen). */
  amountFen: string | null;
}

/** Records per reconciliation file; a day with more is refused (the platform's volume is far below). */
export const RECONCILIATION_RECORDS_MAX = 50_000;

export interface BankRequestByService {
  PERSONAL_REGISTER: PersonalRegisterRequest;
  RECHARGE: RechargeRequest;
  WITHDRAW: WithdrawRequest;
  CREATE_PROJECT: CreateProjectRequest;
  MODIFY_PROJECT: ModifyProjectRequest;
  USER_AUTO_PRE_TRANSACTION: UserAutoPreTransactionRequest;
  CANCEL_PRE_TRANSACTION: CancelPreTransactionRequest;
  CANCEL_PAGE_REQUEST: CancelPageRequestRequest;
  CONFIRM_LOAN: ConfirmLoanRequest;
  CONFIRM_REPAYMENT: ConfirmRepaymentRequest;
  CREDIT_ASSIGNMENT: CreditAssignmentRequest;
  BATCH_TRANSACTION: BatchTransactionRequest;
  QUERY_REQUEST: QueryRequestRequest;
  QUERY_BALANCE: QueryBalanceRequest;
  QUERY_RECONCILIATION: QueryReconciliationRequest;
}

/** A request as a tool or a test writes it: an instruction's dates may be left to the signer. */
export type UndatedRequest<S extends BankServiceName> = Omit<BankRequestByService[S], 'accountingDate' | 'issuedAt'> & {
  accountingDate?: string;
  issuedAt?: string;
};

// ---------------------------------------------------------------------------------------------------
// respData of each service: the base always, the service's fields on success (code 00000)

export interface BankResultBase {
  requestNo: string;
  code: BankCode;
  message: string;
}

/** How a recorded request ended; QUERY_REQUEST reports it. */
export type BankRequestStatus = 'SUCCESS' | 'FAILED';

/**
 * What one request did to one user's depository account, in a success answer: the account's history as
 * the bank keeps it. `seq` numbers the account's postings 1, 2, 3 … in the order the bank applied them;
 * the changes are signed, and the balances are the account's after this posting (integer fen).
 */
export interface Posting {
  userNo: string;
  seq: string;
  availableChangeFen: string;
  frozenChangeFen: string;
  availableFen: string;
  frozenFen: string;
}

/** The services whose success moves money on users' accounts, and so answers with their postings. */
export const POSTING_SERVICE_NAMES = ['RECHARGE', 'WITHDRAW', ...MONEY_MOVING_DIRECT_SERVICE_NAMES] as const;

export interface BankResultFieldsByService {
  PERSONAL_REGISTER: { userNo: string; bankCode: string; cardNumber: string };
  RECHARGE: { userNo: string; amountFen: string; postings: Posting[] };
  WITHDRAW: { userNo: string; amountFen: string; postings: Posting[] };
  CREATE_PROJECT: { projectNo: string; status: BankProjectStatus; amountFen: string };
  MODIFY_PROJECT: { projectNo: string; status: BankProjectStatus };
  USER_AUTO_PRE_TRANSACTION: {
    userNo: string;
    projectNo: string;
    bizType: PreTransactionBizType;
    amountFen: string;
    postings: Posting[];
  };
  CANCEL_PRE_TRANSACTION: { preRequestNo: string; amountFen: string; postings: Posting[] };
  /** CANCELLED, or how the request ended when the user submitted it first. */
  CANCEL_PAGE_REQUEST: { cancelRequestNo: string; status: 'CANCELLED' | BankRequestStatus };
  CONFIRM_LOAN: {
    projectNo: string;
    loanFen: string;
    feeFen: string;
    borrowerFen: string;
    freezeCount: number;
    postings: Posting[];
  };
  CONFIRM_REPAYMENT: {
    preRequestNo: string;
    amountFen: string;
    commissionFen: string;
    detailCount: number;
    postings: Posting[];
  };
  /** `amountFen` is the price (what the reconciliation file lists), `sellerFen` the price less the fee. */
  CREDIT_ASSIGNMENT: {
    projectNo: string;
    sellerUserNo: string;
    buyerUserNo: string;
    amountFen: string;
    feeFen: string;
    sellerFen: string;
    postings: Posting[];
  };
  /** Each item's result, in the order of the items. */
  BATCH_TRANSACTION: { results: (BankResultBase & Record<string, unknown>)[] };
  /** `response` is the earlier request's respData, decoded. */
  QUERY_REQUEST: {
    queryRequestNo: string;
    serviceName: BankServiceName;
    status: BankRequestStatus;
    response: BankResultBase & Record<string, unknown>;
  };
  QUERY_BALANCE: { userNo: string; availableFen: string; frozenFen: string; balanceFen: string };
  QUERY_RECONCILIATION: { date: string; records: ReconciliationRecord[] };
}

export type BankResult<S extends BankServiceName> =
  | (BankResultBase & { code: '00000' } & BankResultFieldsByService[S])
  | (BankResultBase & { code: Exclude<BankCode, '00000'> });

// ---------------------------------------------------------------------------------------------------
// Envelopes

export interface BankEnvelope {
  serviceName: string;
  platformNo: string;
  /** base64 of the JSON text. */
  reqData: string;
  /** base64 RSA-SHA256 of the JSON text. */
  signature: string;
}

/** What a signature says a message is; part of the signed text, so one kind never passes for another. */
export const BANK_MESSAGE_TYPES = ['REQUEST', 'RESPONSE', 'NOTIFICATION'] as const;
export type BankMessageType = (typeof BANK_MESSAGE_TYPES)[number];

/**
 * A signed answer or notification. `serviceName` is the service of the request it answers, or "" when
 * the bank refused a request it could not verify (then `requestNo` is "" too: nothing of it is echoed).
 */
export interface SignedResponse {
  messageType: Exclude<BankMessageType, 'REQUEST'>;
  serviceName: string;
  platformNo: string;
  respData: string;
  signature: string;
}

export type BankNotification = SignedResponse & { messageType: 'NOTIFICATION' };

// ---------------------------------------------------------------------------------------------------
// Signing and encoding

export { decodeData, encodeData, signJson, verifyJson } from '../signing';

/**
 * The text every signature of the protocol covers: the message type, the service, the platform and the
 * JSON data, one per line. A service name and a platformNo never hold a line break (the bank checks
 * both before it verifies), so no two messages share a text.
 */
export function signingText(
  messageType: BankMessageType,
  serviceName: string,
  platformNo: string,
  json: string,
): string {
  return `${messageType}\n${serviceName}\n${platformNo}\n${json}`;
}

/** The platform's side: a signed request envelope for `serviceName`. */
export function signRequest<S extends BankServiceName>(
  serviceName: S,
  platformNo: string,
  reqData: BankRequestByService[S],
  platformPrivateKeyPem: string,
): BankEnvelope {
  return signRequestJson(serviceName, platformNo, JSON.stringify(reqData), platformPrivateKeyPem);
}

/** signRequest for a JSON text as it is (a tool or a test sending exactly these bytes). */
export function signRequestJson(
  serviceName: string,
  platformNo: string,
  json: string,
  platformPrivateKeyPem: string,
): BankEnvelope {
  const signature = signJson(signingText('REQUEST', serviceName, platformNo, json), platformPrivateKeyPem);
  return { serviceName, platformNo, reqData: encodeData(json), signature };
}

/** Whether `signature` is the platform's over the request `json` sent as `serviceName` by `platformNo`. */
export function verifyRequest(
  serviceName: string,
  platformNo: string,
  json: string,
  signature: string,
  platformPublicKeyPem: string,
): boolean {
  return verifyJson(signingText('REQUEST', serviceName, platformNo, json), signature, platformPublicKeyPem);
}

/** The bank's side: signs a result as a RESPONSE or a NOTIFICATION of `serviceName`. */
export function signResult(
  message: Pick<SignedResponse, 'messageType' | 'serviceName' | 'platformNo'>,
  result: BankResultBase & Record<string, unknown>,
  bankPrivateKeyPem: string,
): SignedResponse {
  const json = JSON.stringify(result);
  const text = signingText(message.messageType, message.serviceName, message.platformNo, json);
  const signature = signJson(text, bankPrivateKeyPem);
  return { ...message, respData: encodeData(json), signature };
}

export class BankSignatureError extends Error {
  override name = 'BankSignatureError';
}

/** What the opener of a signed answer expects; `serviceName` left out means "as the message says". */
export interface ExpectedMessage {
  messageType: SignedResponse['messageType'];
  platformNo: string;
  serviceName?: string;
}

/**
 * Opens a bank response or notification (as parsed from the wire): checks that it is the expected kind
 * of message for the expected platform (and service), that the bank's signature covers exactly that and
 * the decoded JSON, and returns the result. Throws BankSignatureError when the shape is wrong or anything
 * does not verify or match: nothing unsigned is ever trusted.
 */
export function openSignedResult<S extends BankServiceName>(
  signed: unknown,
  bankPublicKeyPem: string,
  expected: ExpectedMessage,
): BankResult<S> {
  const fields = (typeof signed === 'object' && signed !== null ? signed : {}) as Partial<
    Record<keyof SignedResponse, unknown>
  >;
  const { messageType, serviceName, platformNo, respData, signature } = fields;
  if (typeof serviceName !== 'string' || typeof respData !== 'string' || typeof signature !== 'string') {
    throw new BankSignatureError('not a signed bank message: serviceName, respData and signature must be strings');
  }
  if (messageType !== expected.messageType) {
    throw new BankSignatureError(`a ${String(messageType).slice(0, 20)} where a ${expected.messageType} was expected`);
  }
  if (platformNo !== expected.platformNo) throw new BankSignatureError('the message is for another platform');
  if (expected.serviceName !== undefined && serviceName !== expected.serviceName) {
    throw new BankSignatureError(`the message is about ${serviceName.slice(0, 40)}, not ${expected.serviceName}`);
  }
  const json = decodeData(respData);
  if (json === null) throw new BankSignatureError('respData is not base64 of UTF-8 text');
  const text = signingText(expected.messageType, serviceName, expected.platformNo, json);
  if (!verifyJson(text, signature, bankPublicKeyPem))
    throw new BankSignatureError('the bank signature does not verify');
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null || !isBankCode((value as BankResultBase).code)) {
    throw new BankSignatureError('respData is not a bank result');
  }
  return value as BankResult<S>;
}

/** Integer fen as the protocol writes it. */
export function fenText(amountFen: bigint): string {
  if (typeof amountFen !== 'bigint' || amountFen < 0n)
    throw new RangeError(`fen must be a non-negative bigint, got ${String(amountFen)}`);
  return amountFen.toString();
}

/** A signed change of integer fen as the protocol writes it (a posting's changes). */
export function signedFenText(changeFen: bigint): string {
  if (typeof changeFen !== 'bigint') throw new RangeError(`fen must be a bigint, got ${String(changeFen)}`);
  return changeFen.toString();
}

/** A posting with its numbers read: the agent's view of it. */
export interface PostingFen {
  userNo: string;
  seq: bigint;
  availableChangeFen: bigint;
  frozenChangeFen: bigint;
  availableFen: bigint;
  frozenFen: bigint;
}

const SIGNED_FEN_PATTERN = /^-?[0-9]{1,16}$/;
const POSTING_NUMBER_FIELDS = ['seq', 'availableChangeFen', 'frozenChangeFen', 'availableFen', 'frozenFen'] as const;

/** A success answer's postings read, or null when they are missing or malformed (balances never negative). */
export function postingsOf(result: unknown): PostingFen[] | null {
  const postings = (result as { postings?: unknown } | null)?.postings;
  if (!Array.isArray(postings)) return null;
  const read: PostingFen[] = [];
  for (const posting of postings as Partial<Record<keyof Posting, unknown>>[]) {
    if (typeof posting !== 'object' || posting === null) return null;
    if (typeof posting.userNo !== 'string' || !REFERENCE_NO_PATTERN.test(posting.userNo)) return null;
    if (POSTING_NUMBER_FIELDS.some((field) => !SIGNED_FEN_PATTERN.test(String(posting[field])))) return null;
    const [seq, availableChangeFen, frozenChangeFen, availableFen, frozenFen] = POSTING_NUMBER_FIELDS.map((field) =>
      BigInt(posting[field] as string),
    );
    if (seq < 1n || availableFen < 0n || frozenFen < 0n) return null;
    read.push({ userNo: posting.userNo, seq, availableChangeFen, frozenChangeFen, availableFen, frozenFen });
  }
  return read;
}

/**
 * Why one account's postings, oldest first, are not its whole history, or null when they are: numbered 1,
 * 2, 3 … with none missing, and each posting's balances its predecessor's (zero before the first) plus its
 * changes.
 */
export function postingHistoryProblem(history: readonly Omit<PostingFen, 'userNo'>[]): string | null {
  let availableFen = 0n;
  let frozenFen = 0n;
  for (const [index, posting] of history.entries()) {
    if (posting.seq !== BigInt(index + 1)) return `posting ${index + 1} is missing (found ${posting.seq})`;
    availableFen += posting.availableChangeFen;
    frozenFen += posting.frozenChangeFen;
    if (posting.availableFen !== availableFen || posting.frozenFen !== frozenFen)
      return `posting ${posting.seq}: the balances after it are not those before plus its changes`;
  }
  return null;
}

/** A posting as an account's statement shows it: `amountFen` is what it changed of the user's money. */
export interface PostedEntry {
  bankSeq: bigint;
  amountFen: bigint;
  availableChangeFen: bigint;
  frozenChangeFen: bigint;
  availableAfterFen: bigint;
  frozenAfterFen: bigint;
}

/**
 * Why a statement (oldest first) does not add up, or null when it does: its postings are the account's
 * whole history (postingHistoryProblem) and each entry's amount is the sum of its changes.
 */
export function statementHistoryProblem(entries: readonly PostedEntry[]): string | null {
  const unsummed = entries.find((entry) => entry.amountFen !== entry.availableChangeFen + entry.frozenChangeFen);
  if (unsummed !== undefined) return `posting ${unsummed.bankSeq}: its amount is not its changes' sum`;
  return postingHistoryProblem(
    entries.map((entry) => ({
      seq: entry.bankSeq,
      availableChangeFen: entry.availableChangeFen,
      frozenChangeFen: entry.frozenChangeFen,
      availableFen: entry.availableAfterFen,
      frozenFen: entry.frozenAfterFen,
    })),
  );
}
