import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  CommonErrors,
  isId,
  isOwnerOrAdmin,
  issueToken,
  maskIdNumber,
  maskMobile,
  maskName,
  requireViewer,
  type Role,
  type SubgraphContext,
} from '@wanxin/platform';
import type { GraphQLError } from 'graphql';
import { isLocked, isValidMobile, lockedUntilAfter, passwordProblem, type AttemptLimit } from '../domain/account-rules';
import { UserErrors } from '../domain/errors';
import { DECOY_PASSWORD_HASH, verifyPassword } from '../domain/password';
import type { ThrottledAction } from '../entities/address-throttle.entity';
import { User } from '../entities/user.entity';
import { insertUser, type UsersServices } from '../services';
import {
  forgetFailedGuesses,
  lockWhenGuessesUsed,
  releaseAddressAttempt,
  reserveAccountGuess,
  reserveAddressAttempt,
} from '../throttles';
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

/** Takes one of the caller's address's attempts at `action`, or refuses the request before any work. */
async function takeAddressAttempt(
  context: Context,
  action: ThrottledAction,
  limit: AttemptLimit,
  refusal: (until: Date) => GraphQLError,
): Promise<void> {
  const reservation = await reserveAddressAttempt(context.em, action, context.clientAddress, limit, new Date());
  if (!reservation.taken) throw refusal(reservation.until);
}

/** Creates an account; `registrations` throttles self-service sign-ups per address. */
async function createAccount(
  context: Context,
  mobile: string,
  password: string,
  role: Role,
  registrations?: AttemptLimit,
): Promise<User> {
  validateCredentials(mobile, password);
  if (registrations !== undefined) {
    await takeAddressAttempt(context, 'REGISTER', registrations, UserErrors.registrationsThrottled);
  }
  const user = await insertUser(context.em, { mobile, password, role });
  if (user === null) throw UserErrors.mobileTaken();
  return user;
}

/** Signs the user in; the rest of this request (the payload's fields) is answered as that user. */
function authPayload(context: Context, user: User): AuthPayload {
  context.viewer = { id: user.id, role: user.role };
  const { token, expiresAt } = issueToken(
    context.viewer,
    context.services.signingKeyPem,
    context.services.tokenTtlSeconds,
  );
  return { token, expiresAt, user: user as unknown as UserNode };
}

/** Every password check is counted (`wanxin_login_password_checks_total`): what the throttles bound. */
function checkPassword(context: Context, password: string, hash: string): Promise<boolean> {
  context.services.passwordChecks.inc();
  return verifyPassword(password, hash);
}

/**
 * Checks a password only after its guess was taken from the address's and the account's budgets (one
 * conditional statement each), so no concurrency gets more guesses past them; a right password, or a
 * refusal that checked none, gives the address's attempt back.
 */
async function signIn(context: Context, mobile: string, password: string): Promise<User> {
  const {
    em,
    clientAddress,
    services: { throttles },
  } = context;
  const { failuresMax, lockMs } = throttles.accountLogin;
  await takeAddressAttempt(context, 'LOGIN', throttles.addressLogin, UserErrors.addressThrottled);
  const user = isValidMobile(mobile) ? await em.findOne(User, { mobile }, { populate: ['passwordHash'] }) : null;
  if (user === null) {
    await checkPassword(context, password, await DECOY_PASSWORD_HASH);
    throw UserErrors.wrongCredentials();
  }
  if (!(await reserveAccountGuess(em, user.id, failuresMax, new Date()))) {
    await releaseAddressAttempt(em, 'LOGIN', clientAddress);
    const now = new Date();
    throw UserErrors.locked(isLocked(user.lockedUntil, now) ? user.lockedUntil! : lockedUntilAfter(now, lockMs));
  }
  if (!(await checkPassword(context, password, user.passwordHash))) {
    const lockedUntil = lockedUntilAfter(new Date(), lockMs);
    const locked = await lockWhenGuessesUsed(em, user.id, failuresMax, lockedUntil);
    throw locked ? UserErrors.locked(lockedUntil) : UserErrors.wrongCredentials();
  }
  await forgetFailedGuesses(em, user.id);
  await releaseAddressAttempt(em, 'LOGIN', clientAddress);
  return user;
}

@Resolver(() => UserNode)
export class UserResolver {
  @Mutation(() => AuthPayload, { description: 'Creates a BORROWER or INVESTOR account and signs it in.' })
  async register(
    @Arg('input', () => RegisterInput, { description: 'The new account.' }) input: RegisterInput,
    @Ctx() context: Context,
  ): Promise<AuthPayload> {
    if (input.role === RoleEnum.ADMIN) throw UserErrors.adminNotSelfService();
    const { addressRegister } = context.services.throttles;
    return authPayload(
      context,
      await createAccount(context, input.mobile, input.password, input.role, addressRegister),
    );
  }

  @Mutation(() => AuthPayload, {
    description:
      'Signs in. Five wrong passwords in a row lock the account for 15 minutes; twenty failures from one address within 15 minutes block that address.',
  })
  async login(
    @Args(() => CredentialsArgs) { mobile, password }: CredentialsArgs,
    @Ctx() context: Context,
  ): Promise<AuthPayload> {
    return authPayload(context, await signIn(context, mobile, password));
  }

  @Authorized('ADMIN')
  @Mutation(() => UserNode, { description: 'ADMIN only: creates another admin.' })
  async createAdmin(
    @Args(() => CredentialsArgs) { mobile, password }: CredentialsArgs,
    @Ctx() context: Context,
  ): Promise<User> {
    return createAccount(context, mobile, password, 'ADMIN');
  }

  @Query(() => UserNode, { nullable: true, description: 'The signed-in user, or null when not signed in.' })
  async me(@Ctx() context: Context): Promise<User | null> {
    if (context.viewer === null) return null;
    return context.loaders.byId(User).load(context.viewer.id);
  }

  @Query(() => UserNode, { nullable: true, description: 'ADMIN, or the user themself.' })
  async user(
    @Arg('id', () => ID, { description: "The user's id." }) id: string,
    @Ctx() context: Context,
  ): Promise<User> {
    const viewer = requireViewer(context);
    if (!isId(id)) throw CommonErrors.badInput('id', 'is not a user id');
    if (!isOwnerOrAdmin(viewer, id)) throw CommonErrors.forbidden('only admins may look up other users');
    const user = await context.loaders.byId(User).load(id);
    if (user === null) throw UserErrors.notFound(id);
    return user;
  }

  // Masked rather than refused: a marketplace page shows every borrower's masked mobile, signed in or not.
  @FieldResolver(() => String, {
    description: 'Masked (138****0000) to anyone but the user and admins, signed in or not.',
  })
  mobile(@Root() user: User, @Ctx() context: Context): string {
    return isOwnerOrAdmin(context.viewer, user.id) ? user.mobile : maskMobile(user.mobile);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Masked (1101**********1234) to anyone but the user and admins, signed in or not.',
  })
  idNumber(@Root() user: User, @Ctx() context: Context): string | null {
    if (user.idNumber === null) return null;
    return isOwnerOrAdmin(context.viewer, user.id) ? user.idNumber : maskIdNumber(user.idNumber);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Masked (王**) to anyone but the user and admins, signed in or not.',
  })
  realName(@Root() user: User, @Ctx() context: Context): string | null {
    if (user.realName === null) return null;
    return isOwnerOrAdmin(context.viewer, user.id) ? user.realName : maskName(user.realName);
  }
}
