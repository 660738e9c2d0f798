import { cardMovementService } from './card-movement';

/** Depository account → card; frozen money cannot leave, and an account too low is 30042. */
export const withdraw = cardMovementService('Withdraw to your bank card', 'ACCOUNT_TO_CARD');
