import { AssertionError } from './assert';
import { randomFillSync } from 'node:crypto';

let lastTimestampMs = 0;
let sequence = 0;

/** Random bytes drawn 4 KiB at a time: one call to the system's generator per 256 ids, not one per id. */
const RANDOM_POOL_BYTES = 4096;
const randomPool = Buffer.alloc(RANDOM_POOL_BYTES);
let randomOffset = RANDOM_POOL_BYTES;

function random16(): Buffer {
  if (randomOffset + 16 > RANDOM_POOL_BYTES) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const bytes = Buffer.from(randomPool.subarray(randomOffset, randomOffset + 16));
  randomOffset += 16;
  return bytes;
}

/**
 * A UUIDv7: time-ordered, so "newest first" is "largest id first" and an id is a stable cursor.
 * Within one millisecond a 12-bit sequence keeps ids from one process increasing.
 */
export function newId(nowMs: number = Date.now()): string {
  if (nowMs <= lastTimestampMs) {
    sequence += 1;
    if (sequence > 0xfff) {
      lastTimestampMs += 1;
      sequence = 0;
    }
  } else {
    lastTimestampMs = nowMs;
    sequence = 0;
  }
  const bytes = random16();
  bytes.writeUIntBE(lastTimestampMs, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  return uuidOfHex(bytes.toString('hex'));
}

/** 32 lower-case hex digits written as a UUID. */
function uuidOfHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isId(text: string): boolean {
  return UUID_PATTERN.test(text);
}

/**
 * A user's number at the custodian bank: the user id without dashes, upper-case. Derived, not stored
 * or asked for, so the depository agent, loans and bids always agree on it.
 */
export function bankUserNoFor(userId: string): string {
  if (!isId(userId)) throw new AssertionError(`user id must be a UUID, got ${userId}`);
  return userId.replace(/-/g, '').toUpperCase();
}

const BANK_USER_NO_PATTERN = /^[0-9A-F]{32}$/;

/** The user whose bank number `userNo` is (the inverse of bankUserNoFor), or null for no user's number. */
export function bankUserIdOf(userNo: string): string | null {
  if (!BANK_USER_NO_PATTERN.test(userNo)) return null;
  return uuidOfHex(userNo.toLowerCase());
}
