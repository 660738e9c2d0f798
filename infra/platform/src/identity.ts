/**
 * What the bank checks of a person opening an account: the resident ID number (GB 11643: 17 digits
 * and a check character, with a real birth date), the bank card number, the card's mobile and a name.
 */

const ID_NUMBER_PATTERN = /^[1-9][0-9]{16}[0-9X]$/;
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARACTERS = '10X98765432';
/** Birth years the bank accepts; a pure rule, so "today" is not consulted. */
const BIRTH_YEAR_MIN = 1900;
const BIRTH_YEAR_MAX = 2099;

/** The check character of the first 17 digits of an ID number. */
export function idNumberCheckCharacter(first17Digits: string): string {
  let sum = 0;
  for (let index = 0; index < ID_WEIGHTS.length; index += 1) sum += Number(first17Digits[index]) * ID_WEIGHTS[index];
  return ID_CHECK_CHARACTERS[sum % 11];
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < BIRTH_YEAR_MIN || year > BIRTH_YEAR_MAX || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function isValidIdNumber(idNumber: string): boolean {
  if (!ID_NUMBER_PATTERN.test(idNumber)) return false;
  const year = Number(idNumber.slice(6, 10));
  const month = Number(idNumber.slice(10, 12));
  const day = Number(idNumber.slice(12, 14));
  if (!isCalendarDate(year, month, day)) return false;
  return idNumberCheckCharacter(idNumber.slice(0, 17)) === idNumber[17];
}

/**
 * 12 to 19 digits. No Luhn check: UnionPay cards carry one, but the platform's sample and test cards
 * do not, and the simulator would refuse them for no business reason.
 */
export function isValidCardNumber(cardNumber: string): boolean {
  return /^[0-9]{12,19}$/.test(cardNumber);
}

/** A mainland mobile number. */
export function isValidMobile(mobile: string): boolean {
  return /^1[3-9][0-9]{9}$/.test(mobile);
}

/** Upper-case letters and digits, e.g. ICBC, CMB, 0102. */
export function isValidBankCode(bankCode: string): boolean {
  return /^[A-Z0-9]{2,16}$/.test(bankCode);
}

export const REAL_NAME_LENGTH_MAX = 50;

/** A name with something in it, no control characters, at most 50 characters. */
export function isValidRealName(realName: string): boolean {
  const trimmed = realName.trim();
  return (
    trimmed.length > 0 &&
    trimmed === realName &&
    [...realName].length <= REAL_NAME_LENGTH_MAX &&
    !/[\u0000-\u001f\u007f]/.test(realName)
  );
}

/** The birth date a valid ID number states (its digits 7 to 14), as a UTC midnight. */
export function idNumberBirthDate(idNumber: string): Date {
  return new Date(
    Date.UTC(Number(idNumber.slice(6, 10)), Number(idNumber.slice(10, 12)) - 1, Number(idNumber.slice(12, 14))),
  );
}

/** Whole years from `birthDate` to `on`, by the UTC calendar (a birthday counts from its day). */
export function ageInYears(birthDate: Date, on: Date): number {
  const years = on.getUTCFullYear() - birthDate.getUTCFullYear();
  const beforeBirthday =
    on.getUTCMonth() < birthDate.getUTCMonth() ||
    (on.getUTCMonth() === birthDate.getUTCMonth() && on.getUTCDate() < birthDate.getUTCDate());
  return beforeBirthday ? years - 1 : years;
}
