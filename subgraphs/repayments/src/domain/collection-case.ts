import { assert } from '@wanxin/platform';

// The collection workbench (催收, seed 002): a case per loan with an overdue installment, opened by the
// nightly run and closed once the loan is current again. Its stage follows the oldest overdue
// installment's days, as the reminders do (domain/reminders.ts): SMS on days 1–2, a staff call from day 3,
// the emergency contact from day 30; rows are flagged red from day 5.

export const COLLECTION_CASE_STATUSES = ['OPEN', 'CLOSED'] as const;
export type CollectionCaseStatus = (typeof COLLECTION_CASE_STATUSES)[number];
export const COLLECTION_STAGES = ['SMS', 'STAFF_CALL', 'EMERGENCY_CONTACT'] as const;
export type CollectionStage = (typeof COLLECTION_STAGES)[number];
export const COLLECTION_SEVERITIES = ['NORMAL', 'RED'] as const;
export type CollectionSeverity = (typeof COLLECTION_SEVERITIES)[number];

export const STAFF_CALL_FROM_DAYS = 3;
export const RED_FLAG_FROM_DAYS = 5;
export const EMERGENCY_CONTACT_FROM_DAYS = 30;
/** A staff note's longest text. */
export const COLLECTION_NOTE_LENGTH_MAX = 1_000;
/** Notes one case holds: a call every working day for months; the query cost prices a case's notes at it. */
export const COLLECTION_NOTES_PER_CASE_MAX = 100;

function assertOverdue(overdueDays: number): void {
  assert(Number.isSafeInteger(overdueDays) && overdueDays >= 1, `a case is about an overdue loan, got ${overdueDays}`);
}

export function collectionStage(overdueDays: number): CollectionStage {
  assertOverdue(overdueDays);
  if (overdueDays >= EMERGENCY_CONTACT_FROM_DAYS) return 'EMERGENCY_CONTACT';
  if (overdueDays >= STAFF_CALL_FROM_DAYS) return 'STAFF_CALL';
  return 'SMS';
}

export function collectionSeverity(overdueDays: number): CollectionSeverity {
  assertOverdue(overdueDays);
  return overdueDays >= RED_FLAG_FROM_DAYS ? 'RED' : 'NORMAL';
}

/** Why a staff note cannot be added, or null: 1–1,000 characters, a promised date not before `businessDate`. */
export function collectionNoteProblem(
  note: string,
  promisedDate: string | null,
  businessDate: string,
  notesSoFar: number,
): { field: string; reason: string } | null {
  if (note.trim().length === 0 || note.length > COLLECTION_NOTE_LENGTH_MAX)
    return { field: 'note', reason: `a note is 1 to ${COLLECTION_NOTE_LENGTH_MAX} characters` };
  if (promisedDate !== null && promisedDate < businessDate)
    return { field: 'promisedDate', reason: `a promise to pay falls on or after the business date ${businessDate}` };
  if (notesSoFar >= COLLECTION_NOTES_PER_CASE_MAX)
    return { field: 'caseId', reason: `a case holds at most ${COLLECTION_NOTES_PER_CASE_MAX} notes` };
  return null;
}
