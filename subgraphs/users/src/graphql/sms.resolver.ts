import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { findPage, maskMobile, PageArgs, requireRole, type Connection, type SubgraphContext } from '@wanxin/platform';
import { isValidMobile } from '../domain/account-rules';
import { UserErrors } from '../domain/errors';
import type { SmsStatus } from '../domain/sms';
import { SmsMessage } from '../entities/sms-message.entity';
import { requestSmsCode } from '../operations/sms-codes';
import type { UsersServices } from '../services';
import { SmsCodeSentNode, SmsMessageConnection, SmsMessageNode, SmsStatusEnum } from './sms.type';

type Context = SubgraphContext<UsersServices>;

function smsNode(sms: SmsMessage): SmsMessageNode {
  const { id, template, userId, attempts, providerMessageId, lastError, createdAt, sentAt } = sms;
  const status = sms.status as SmsStatusEnum;
  return {
    id,
    template,
    mobile: maskMobile(sms.mobile),
    userId,
    status,
    attempts,
    providerMessageId,
    lastError,
    createdAt,
    sentAt,
  };
}

/** Verification codes for anyone registering; the SMS outbox for operators. */
@Resolver()
export class SmsResolver {
  @Mutation(() => SmsCodeSentNode, {
    description:
      'Sends a six-digit registration code to a mobile not yet registered: valid 5 minutes, at most 5 per mobile per hour; a new code replaces the last.',
  })
  async requestSmsCode(
    @Arg('mobile', () => String, { description: '11-digit mainland mobile number.' }) mobile: string,
    @Ctx() context: Context,
  ): Promise<SmsCodeSentNode> {
    const expiresAt = await requestSmsCode(context.em, mobile);
    context.services.smsSender.wake();
    return { expiresAt };
  }

  @Query(() => SmsMessageConnection, { description: 'ADMIN: texts sent and to send, newest first.' })
  async smsMessages(
    @Arg('mobile', () => String, { nullable: true, description: 'Only texts to this mobile.' }) mobile: string | null,
    @Arg('status', () => SmsStatusEnum, { nullable: true, description: 'Only texts in this status.' })
    status: SmsStatus | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: Context,
  ): Promise<Connection<SmsMessageNode>> {
    requireRole(context, ['ADMIN']);
    if (mobile !== null && mobile !== undefined && !isValidMobile(mobile)) throw UserErrors.invalidMobile(mobile);
    const where = {
      ...(mobile === null || mobile === undefined ? {} : { mobile }),
      ...(status === null || status === undefined ? {} : { status }),
    };
    const found = await findPage(context.em, SmsMessage, where, page);
    return { ...found, edges: found.edges.map(({ cursor, node }) => ({ cursor, node: smsNode(node) })) };
  }
}
