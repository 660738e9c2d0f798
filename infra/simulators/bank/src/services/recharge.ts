import {
  describeCardMovement,
  moveBetweenCardAndAccount,
  parseCardMovement,
  type CardMovementCommand,
} from './card-movement';
import type { PageService } from './service-types';

/** Card → depository account; a card too low is 30041. */
export const recharge: PageService<CardMovementCommand> = {
  title: 'Recharge your depository account',
  passwordMode: 'CHECK',
  parse: parseCardMovement,
  describe: describeCardMovement,
  execute: (context, command) => moveBetweenCardAndAccount(context, command, 'CARD_TO_ACCOUNT'),
};
