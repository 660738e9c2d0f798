/** Masks all but the first `keepStart` and last `keepEnd` characters; short values are fully masked. */
function maskMiddle(value: string, keepStart: number, keepEnd: number): string {
  if (value.length <= keepStart + keepEnd) return '*'.repeat(value.length);
  return (
    value.slice(0, keepStart) + '*'.repeat(value.length - keepStart - keepEnd) + value.slice(value.length - keepEnd)
  );
}

/** 13800000000 → 138****0000 */
export function maskMobile(mobile: string): string {
  return maskMiddle(mobile, 3, 4);
}

/** 110101199003071234 → 1101**********1234 */
export function maskIdNumber(idNumber: string): string {
  return maskMiddle(idNumber, 4, 4);
}

/** 6222020000001234567 → 6222***********4567 */
export function maskCardNumber(cardNumber: string): string {
  return maskMiddle(cardNumber, 4, 4);
}

/** 王小明 → 王** */
export function maskName(name: string): string {
  return maskMiddle(name, 1, 0);
}
