import {
  describeCardMovement,
  moveBetweenCardAndAccount,
  parseCardMovement,
  type CardMovementCommand,
} from './card-movement';
import type { PageService } from './service-types';

/** Depository account → card; frozen money cannot leave, and an account too low is 30042. */
export const withdraw: PageService<CardMovementCommand> = {
  title: 'Withdraw to your bank card',
  passwordMode: 'CHECK',
  parse: parseCardMovement,
  describe: describeCardMovement,
  execute: (context, command) => moveBetweenCardAndAccount(context, command, 'ACCOUNT_TO_CARD'),
};
