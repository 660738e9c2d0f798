import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@wanxin/platform';
import type { GraphQLError } from 'graphql';
import { windowClosedAtOrBefore, windowEnd, type AttemptLimit } from '../domain/account-rules';
import { AddressThrottle, type ThrottledAction } from '../entities/address-throttle.entity';
import { User } from '../entities/user.entity';

/** A reservation's answer: taken, or refused until the window ends. */
export type Reservation = { taken: true } | { taken: false; until: Date };

/** Passes over the three statements: a second one covers a row another request inserted meanwhile. */
const RESERVE_PASSES_MAX = 2;

/**
 * Takes one attempt of `action` for `address` before any work is done, in one conditional statement, so
 * concurrent requests can never take more than `limit.attemptsMax` per window: counts on in a running
 * window with room, restarts an ended window, or opens the address's first one (an insert that a
 * concurrent insert makes a no-op, after which the pass repeats).
 */
export async function reserveAddressAttempt(
  em: EntityManager,
  action: ThrottledAction,
  address: string,
  limit: AttemptLimit,
  now: Date,
): Promise<Reservation> {
  const closedSince = windowClosedAtOrBefore(now, limit);
  const key = { action, address };
  for (let pass = 0; pass < RESERVE_PASSES_MAX; pass += 1) {
    const counted = await em
      .createQueryBuilder(AddressThrottle)
      .update({ attempts: raw('attempts + 1') })
      .where({ ...key, windowStartedAt: { $gt: closedSince }, attempts: { $lt: limit.attemptsMax } })
      .execute('run');
    if (counted.affectedRows > 0) return { taken: true };
    const restarted = await em
      .createQueryBuilder(AddressThrottle)
      .update({ attempts: 1, windowStartedAt: now })
      .where({ ...key, windowStartedAt: { $lte: closedSince } })
      .execute('run');
    if (restarted.affectedRows > 0) return { taken: true };
    const opened = await em
      .createQueryBuilder(AddressThrottle)
      .insert({ ...key, windowStartedAt: now, attempts: 1 })
      .onConflict(['action', 'address'])
      .ignore()
      .execute('run');
    if (opened.affectedRows > 0) return { taken: true };
  }
  const row = await em.findOne(AddressThrottle, key, { disableIdentityMap: true });
  return { taken: false, until: row === null ? now : windowEnd(row.windowStartedAt, limit) };
}

/** Takes one of `address`'s attempts at `action`, or refuses the request before any work. */
export async function takeAddressAttempt(
  em: EntityManager,
  action: ThrottledAction,
  address: string,
  limit: AttemptLimit,
  refusal: (until: Date) => GraphQLError,
): Promise<void> {
  const reservation = await reserveAddressAttempt(em, action, address, limit, new Date());
  if (!reservation.taken) throw refusal(reservation.until);
}

/** Gives an attempt back (one that turned out not to be a guess: a right password, or none checked). */
export async function releaseAddressAttempt(
  em: EntityManager,
  action: ThrottledAction,
  address: string,
): Promise<void> {
  await em
    .createQueryBuilder(AddressThrottle)
    .update({ attempts: raw('attempts - 1') })
    .where({ action, address, attempts: { $gt: 0 } })
    .execute('run');
}

/**
 * Takes one of the account's guesses before its password is checked: at most `failuresMax` are counted (in
 * flight or failed) while it is not locked, whatever the concurrency. False: none is left.
 */
export async function reserveAccountGuess(
  em: EntityManager,
  userId: string,
  failuresMax: number,
  now: Date,
): Promise<boolean> {
  const taken = await em
    .createQueryBuilder(User)
    .update({ failedLoginCount: raw('failed_login_count + 1') })
    .where({
      id: userId,
      failedLoginCount: { $lt: failuresMax },
      $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }],
    })
    .execute('run');
  return taken.affectedRows > 0;
}

/** After a wrong password: the guess that used the last one locks the account (once) and starts the count again. */
export async function lockWhenGuessesUsed(
  em: EntityManager,
  userId: string,
  failuresMax: number,
  lockedUntil: Date,
): Promise<boolean> {
  const locked = await em
    .createQueryBuilder(User)
    .update({ lockedUntil, failedLoginCount: 0 })
    .where({ id: userId, failedLoginCount: { $gte: failuresMax } })
    .execute('run');
  return locked.affectedRows > 0;
}

/** After a right password: the failures in a row are forgotten. */
export async function forgetFailedGuesses(em: EntityManager, userId: string): Promise<void> {
  await em.nativeUpdate(User, { id: userId }, { failedLoginCount: 0 });
}

/** An admin's unlock (unlockUser): ends a running lock and forgets the failures; false when none was running. */
export async function clearAccountLock(em: EntityManager, userId: string, now: Date): Promise<boolean> {
  const cleared = await em.nativeUpdate(
    User,
    { id: userId, lockedUntil: { $gt: now } },
    { lockedUntil: null, failedLoginCount: 0 },
  );
  return cleared > 0;
}
