import { isOwnerOrAdmin, maskCardNumber, type Viewer } from '@wanxin/platform';

/** The bound bank card's number as this viewer may see it: whole to its owner and admins, masked to anyone else. */
export function visibleCardNumber(viewer: Viewer | null, ownerId: string, cardNumber: string | null): string | null {
  if (cardNumber === null) return null;
  return isOwnerOrAdmin(viewer, ownerId) ? cardNumber : maskCardNumber(cardNumber);
}
