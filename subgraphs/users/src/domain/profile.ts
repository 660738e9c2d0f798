import { assert, formatMoney, isValidMobile, maskMobile, maskName } from '@wanxin/platform';

/**
 * A borrower's profile (seed 002, "基本信息 / 工作信息 / 紧急联系人"): what the risk provider scores and
 * what the collection stage calls. Pure rules: which input is acceptable, when a profile is complete,
 * and what other viewers see of the contacts.
 */

/** One or two people the platform may call when a borrower cannot be reached. */
export const EMERGENCY_CONTACTS_MIN = 1;
export const EMERGENCY_CONTACTS_MAX = 2;
/** Longest value of each free-text field, in characters (code points, so 汉字 count one each). */
export const PROFILE_TEXT_LENGTH_MAX = {
  education: 50,
  address: 200,
  employer: 100,
  position: 50,
  contactName: 50,
  contactRelation: 20,
} as const;
/** RFC 5321's longest forward path. */
export const EMAIL_LENGTH_MAX = 254;
/** 10,000,000.00 a month: anything above is a typing mistake, not an income. */
export const MONTHLY_INCOME_MAX_FEN = 1_000_000_000n;

export interface EmergencyContact {
  name: string;
  relation: string;
  mobile: string;
}

export interface ProfileInput {
  education: string;
  address: string;
  email: string;
  employer: string;
  position: string;
  monthlyIncomeFen: bigint;
  emergencyContacts: readonly EmergencyContact[];
}

/** The first thing wrong with an input: `field` is the input's path (`emergencyContacts[1].mobile`). */
export interface FieldProblem {
  field: string;
  reason: string;
}

// One @, something on each side, a dot in the domain, no spaces: the mail server has the final word.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Why a free-text value is refused, or null: something in it, no padding, no control characters, bounded. */
function textProblem(value: string, lengthMax: number): string | null {
  if (value.trim().length === 0) return 'must not be empty';
  if (value.trim() !== value) return 'must not start or end with spaces';
  if (CONTROL_CHARACTERS.test(value)) return 'must not contain control characters';
  if ([...value].length > lengthMax) return `must have at most ${lengthMax} characters`;
  return null;
}

function contactProblem(contact: EmergencyContact, index: number, ownMobile: string): FieldProblem | null {
  const path = `emergencyContacts[${index}]`;
  const nameProblem = textProblem(contact.name, PROFILE_TEXT_LENGTH_MAX.contactName);
  if (nameProblem !== null) return { field: `${path}.name`, reason: nameProblem };
  const relationProblem = textProblem(contact.relation, PROFILE_TEXT_LENGTH_MAX.contactRelation);
  if (relationProblem !== null) return { field: `${path}.relation`, reason: relationProblem };
  if (!isValidMobile(contact.mobile)) {
    return { field: `${path}.mobile`, reason: 'must be an 11-digit mainland mobile number' };
  }
  if (contact.mobile === ownMobile) return { field: `${path}.mobile`, reason: 'must be someone else’s number' };
  return null;
}

/**
 * The first problem of a profile input in field order, or null when it is acceptable. `ownMobile` is the
 * user's registered mobile: an emergency contact is someone else, and two contacts are two people.
 */
export function profileProblem(input: ProfileInput, ownMobile: string): FieldProblem | null {
  const textFields = ['education', 'address', 'employer', 'position'] as const;
  for (const field of textFields) {
    const reason = textProblem(input[field], PROFILE_TEXT_LENGTH_MAX[field]);
    if (reason !== null) return { field, reason };
  }
  if (input.email.length > EMAIL_LENGTH_MAX) {
    return { field: 'email', reason: `must have at most ${EMAIL_LENGTH_MAX} characters` };
  }
  if (!EMAIL_PATTERN.test(input.email)) return { field: 'email', reason: 'is not an email address' };
  assert(typeof input.monthlyIncomeFen === 'bigint', 'an income is bigint fen');
  if (input.monthlyIncomeFen < 0n) return { field: 'monthlyIncome', reason: 'must not be negative' };
  if (input.monthlyIncomeFen > MONTHLY_INCOME_MAX_FEN) {
    return { field: 'monthlyIncome', reason: `must be at most ${formatMoney(MONTHLY_INCOME_MAX_FEN)} a month` };
  }
  const contacts = input.emergencyContacts;
  if (contacts.length < EMERGENCY_CONTACTS_MIN || contacts.length > EMERGENCY_CONTACTS_MAX) {
    return {
      field: 'emergencyContacts',
      reason: `must list ${EMERGENCY_CONTACTS_MIN} to ${EMERGENCY_CONTACTS_MAX} contacts`,
    };
  }
  for (const [index, contact] of contacts.entries()) {
    const problem = contactProblem(contact, index, ownMobile);
    if (problem !== null) return problem;
  }
  if (contacts.length === 2 && contacts[0].mobile === contacts[1].mobile) {
    return { field: 'emergencyContacts[1].mobile', reason: 'must differ from the first contact’s number' };
  }
  return null;
}

/**
 * Whether a stored profile lets its user apply for credit: there is one and it passes today's rules
 * (a bound tightened since it was saved makes it incomplete until it is updated).
 */
export function isProfileComplete(profile: ProfileInput | null, ownMobile: string): boolean {
  return profile !== null && profileProblem(profile, ownMobile) === null;
}

/**
 * The contacts as a viewer sees them: in full for the user and admins, otherwise masked the way the
 * platform masks a user's own mobile and name (138****0000, 王**).
 */
export function emergencyContactsAsSeen(
  contacts: readonly EmergencyContact[],
  revealed: boolean,
): readonly EmergencyContact[] {
  if (revealed) return contacts;
  return contacts.map((contact) => ({
    name: maskName(contact.name),
    relation: contact.relation,
    mobile: maskMobile(contact.mobile),
  }));
}
