import { createHash } from 'node:crypto';
import { raw } from '@mikro-orm/core';
import { CommonErrors, type EntityManager } from '@wanxin/platform';
import { isValidMobile } from '../domain/account-rules';
import { UserErrors } from '../domain/errors';
import {
  isSmsCodeShaped,
  newSmsCode,
  SMS_CODE_TTL_MS,
  SMS_CODE_WRONG_GUESSES_MAX,
  SMS_CODES_PER_MOBILE,
  verificationCodeSms,
} from '../domain/sms';
import { SmsCode } from '../entities/sms-code.entity';
import { User } from '../entities/user.entity';
import { queueSms } from './queue-sms';
import { takeAddressAttempt } from './throttles';

function codeHash(codeId: string, code: string): string {
  return createHash('sha256').update(`${codeId}:${code}`).digest('hex');
}

/**
 * Sends a registration code to a mobile not yet registered: at most 5 per mobile per hour (counted before
 * anything is written), valid 5 minutes; only the newest code counts (useSmsCode). Returns when it expires.
 */
export async function requestSmsCode(em: EntityManager, mobile: string, now = new Date()): Promise<Date> {
  if (!isValidMobile(mobile)) throw UserErrors.invalidMobile(mobile);
  if ((await em.count(User, { mobile })) > 0) throw UserErrors.mobileTaken();
  await takeAddressAttempt(em, 'SMS_CODE', mobile, SMS_CODES_PER_MOBILE, UserErrors.smsCodesThrottled);
  const code = newSmsCode();
  const expiresAt = new Date(now.getTime() + SMS_CODE_TTL_MS);
  await em.transactional(async (tx) => {
    const row = tx.create(SmsCode, { mobile, codeHash: '', createdAt: now, expiresAt });
    row.codeHash = codeHash(row.id, code);
    queueSms(tx, { sourceKey: `code:${row.id}`, userId: null, mobile, content: verificationCodeSms(code) }, now);
  });
  return expiresAt;
}

/**
 * Uses the mobile's newest code if it is live and `code` is it (once: a conditional update, so two
 * registrations racing with one code get one success); a wrong guess counts, and the fifth voids the code.
 */
export async function useSmsCode(em: EntityManager, mobile: string, code: string, now = new Date()): Promise<void> {
  if (!isSmsCodeShaped(code)) throw CommonErrors.badInput('smsCode', 'the code is the six digits sent by SMS');
  const live = await em.findOne(
    SmsCode,
    { mobile },
    { orderBy: { createdAt: 'desc', id: 'desc' }, disableIdentityMap: true },
  );
  const isLive =
    live !== null && live.usedAt === null && live.expiresAt > now && live.wrongGuesses < SMS_CODE_WRONG_GUESSES_MAX;
  if (!isLive) throw UserErrors.smsCodeNotLive();
  if (live.codeHash !== codeHash(live.id, code)) {
    await em.nativeUpdate(SmsCode, { id: live.id }, { wrongGuesses: raw('wrong_guesses + 1') });
    throw UserErrors.smsCodeWrong();
  }
  const used = await em.nativeUpdate(
    SmsCode,
    { id: live.id, usedAt: null, wrongGuesses: { $lt: SMS_CODE_WRONG_GUESSES_MAX } },
    { usedAt: now },
  );
  if (used === 0) throw UserErrors.smsCodeNotLive();
}
