import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  CommonErrors, isId, isOwnerOrAdmin, issueToken, maskIdNumber, maskMobile, maskName, requireViewer, type Role, type SubgraphContext,
} from '@wanxin/platform';
import { raw } from '@mikro-orm/core';
import { ADDRESS_WINDOW_MS, addressBlockedUntil, isLocked, isValidMobile, lockAfterFailure, passwordProblem } from '../domain/account-rules';
import { UserErrors } from '../domain/errors';
import { DECOY_PASSWORD_HASH, verifyPassword } from '../domain/password';
import { AddressThrottle } from '../entities/address-throttle.entity';
import { User } from '../entities/user.entity';
import { insertUser, type UsersServices } from '../services';
import { AuthPayload } from './auth-payload.type';
import { CredentialsArgs } from './credentials.args';
import { RegisterInput } from './register.input';
import { RoleEnum } from './role.enum';
import { UserNode } from './user.type';

type Context = SubgraphContext<UsersServices>;

function validateCredentials(mobile: string, password: string): void {
  if (!isValidMobile(mobile)) throw UserErrors.invalidMobile(mobile);
  const problem = passwordProblem(password);
  if (problem !== null) throw UserErrors.invalidPassword(problem);
}

async function createAccount(context: Context, mobile: string, password: string, role: Role): Promise<User> {
  validateCredentials(mobile, password);
  const user = await insertUser(context.em, { mobile, password, role });
  if (user === null) throw UserErrors.mobileTaken();
  return user;
}

/** Signs the user in; the rest of this request (the payload's fields) is answered as that user. */
function authPayload(context: Context, user: User): AuthPayload {
  context.viewer = { id: user.id, role: user.role };
  const { token, expiresAt } = issueToken(context.viewer, context.services.signingKeyPem, context.services.tokenTtlSeconds);
  return { token, expiresAt, user: user as unknown as UserNode };
}

/** Refuses an address that failed too often lately, before any password is checked. */
async function refuseThrottledAddress(context: Context, now: Date): Promise<void> {
  const throttle = await context.em.findOne(AddressThrottle, { address: context.clientAddress });
  const until = throttle === null ? null : addressBlockedUntil(throttle.windowStartedAt, throttle.failures, now);
  if (until !== null) throw UserErrors.addressThrottled(until);
}

/** Counts a failure against the address: atomically within the window, or starting a new window. */
async function recordAddressFailure(context: Context, now: Date): Promise<void> {
  const windowOpenSince = new Date(now.getTime() - ADDRESS_WINDOW_MS);
  const counted = await context.em
    .createQueryBuilder(AddressThrottle)
    .update({ failures: raw('failures + 1') })
    .where({ address: context.clientAddress, windowStartedAt: { $gt: windowOpenSince } })
    .execute('run');
  if (counted.affectedRows > 0) return;
  await context.em.upsert(AddressThrottle, { address: context.clientAddress, windowStartedAt: now, failures: 1 });
}

/** Records a failed login atomically (concurrent attempts all count) and locks at the maximum. */
async function recordFailedLogin(context: Context, user: User, now: Date): Promise<Date | null> {
  await recordAddressFailure(context, now);
  const connection = context.em.getConnection();
  await connection.execute('update users set failed_login_count = failed_login_count + 1 where id = ?', [user.id]);
  const [row] = await connection.execute<{ failed_login_count: number }[]>('select failed_login_count from users where id = ?', [user.id]);
  const lockedUntil = lockAfterFailure(Number(row.failed_login_count), now);
  if (lockedUntil !== null) {
    await context.em.nativeUpdate(User, { id: user.id }, { lockedUntil, failedLoginCount: 0 });
  }
  return lockedUntil;
}

@Resolver(() => UserNode)
export class UserResolver {
  @Mutation(() => AuthPayload, { description: 'Creates a BORROWER or INVESTOR account and signs it in.' })
  async register(@Arg('input', () => RegisterInput, { description: 'The new account.' }) input: RegisterInput, @Ctx() context: Context): Promise<AuthPayload> {
    if (input.role === RoleEnum.ADMIN) throw UserErrors.adminNotSelfService();
    return authPayload(context, await createAccount(context, input.mobile, input.password, input.role));
  }

  @Mutation(() => AuthPayload, { description: 'Signs in. Five wrong passwords in a row lock the account for 15 minutes; twenty failures from one address within 15 minutes block that address.' })
  async login(@Args(() => CredentialsArgs) { mobile, password }: CredentialsArgs, @Ctx() context: Context): Promise<AuthPayload> {
    const now = new Date();
    await refuseThrottledAddress(context, now);
    const user = isValidMobile(mobile) ? await context.em.findOne(User, { mobile }, { populate: ['passwordHash'] }) : null;
    if (user === null) {
      await verifyPassword(password, await DECOY_PASSWORD_HASH);
      await recordAddressFailure(context, now);
      throw UserErrors.wrongCredentials();
    }
    if (isLocked(user.lockedUntil, now)) throw UserErrors.locked(user.lockedUntil!);
    if (!(await verifyPassword(password, user.passwordHash))) {
      const lockedUntil = await recordFailedLogin(context, user, now);
      throw lockedUntil === null ? UserErrors.wrongCredentials() : UserErrors.locked(lockedUntil);
    }
    if (user.failedLoginCount > 0) await context.em.nativeUpdate(User, { id: user.id }, { failedLoginCount: 0 });
    return authPayload(context, user);
  }

  @Authorized('ADMIN')
  @Mutation(() => UserNode, { description: 'ADMIN only: creates another admin.' })
  async createAdmin(@Args(() => CredentialsArgs) { mobile, password }: CredentialsArgs, @Ctx() context: Context): Promise<User> {
    return createAccount(context, mobile, password, 'ADMIN');
  }

  @Query(() => UserNode, { nullable: true, description: 'The signed-in user, or null when not signed in.' })
  async me(@Ctx() context: Context): Promise<User | null> {
    if (context.viewer === null) return null;
    return context.loaders.byId(User).load(context.viewer.id);
  }

  @Query(() => UserNode, { nullable: true, description: 'ADMIN, or the user themself.' })
  async user(@Arg('id', () => ID, { description: "The user's id." }) id: string, @Ctx() context: Context): Promise<User> {
    const viewer = requireViewer(context);
    if (!isId(id)) throw CommonErrors.badInput('id', 'is not a user id');
    if (!isOwnerOrAdmin(viewer, id)) throw CommonErrors.forbidden('only admins may look up other users');
    const user = await context.loaders.byId(User).load(id);
    if (user === null) throw UserErrors.notFound(id);
    return user;
  }

  // Masked rather than refused: a marketplace page shows every borrower's masked mobile, signed in or not.
  @FieldResolver(() => String, { description: 'Masked (138****0000) to anyone but the user and admins, signed in or not.' })
  mobile(@Root() user: User, @Ctx() context: Context): string {
    return isOwnerOrAdmin(context.viewer, user.id) ? user.mobile : maskMobile(user.mobile);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Masked (1101**********1234) to anyone but the user and admins, signed in or not.' })
  idNumber(@Root() user: User, @Ctx() context: Context): string | null {
    if (user.idNumber === null) return null;
    return isOwnerOrAdmin(context.viewer, user.id) ? user.idNumber : maskIdNumber(user.idNumber);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Masked (王**) to anyone but the user and admins, signed in or not.' })
  realName(@Root() user: User, @Ctx() context: Context): string | null {
    if (user.realName === null) return null;
    return isOwnerOrAdmin(context.viewer, user.id) ? user.realName : maskName(user.realName);
  }
}
