import { cardMovementService } from './card-movement';

/** Card → depository account; a card too low is 30041. */
export const recharge = cardMovementService('Recharge your depository account', 'CARD_TO_ACCOUNT');
