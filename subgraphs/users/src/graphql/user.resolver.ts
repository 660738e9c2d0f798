import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  CommonErrors,
  isId,
  isOwnerOrAdmin,
  issueToken,
  maskIdNumber,
  maskMobile,
  maskName,
  requireRole,
  requireViewer,
  type SubgraphContext,
} from '@wanxin/platform';
import { UserErrors } from '../domain/errors';
import { User } from '../entities/user.entity';
import { createAccount } from '../operations/create-account';
import { register } from '../operations/register';
import { signIn } from '../operations/sign-in';
import type { UsersServices } from '../services';
import { AuthPayload } from './auth-payload.type';
import { CredentialsArgs } from './credentials.args';
import { RegisterInput } from './register.input';
import { UserNode } from './user.type';

type Context = SubgraphContext<UsersServices>;

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

@Resolver(() => UserNode)
export class UserResolver {
  @Mutation(() => AuthPayload, { description: 'Creates a BORROWER or INVESTOR account and signs it in.' })
  async register(
    @Arg('input', () => RegisterInput, { description: 'The new account.' }) input: RegisterInput,
    @Ctx() context: Context,
  ): Promise<AuthPayload> {
    const registrations = { address: context.clientAddress, limit: context.services.throttles.addressRegister };
    const { smsCodeRequired } = context.services;
    return authPayload(context, await register(context.em, input, registrations, smsCodeRequired));
  }

  @Mutation(() => AuthPayload, {
    description:
      'Signs in. Five wrong passwords in a row lock the account for 15 minutes; twenty failures from one address within 15 minutes block that address.',
  })
  async login(
    @Args(() => CredentialsArgs) { mobile, password }: CredentialsArgs,
    @Ctx() context: Context,
  ): Promise<AuthPayload> {
    return authPayload(
      context,
      await signIn(context.em, context.services, context.clientAddress, { mobile, password }),
    );
  }

  @Mutation(() => UserNode, { description: 'ADMIN only: creates another admin.' })
  async createAdmin(
    @Args(() => CredentialsArgs) { mobile, password }: CredentialsArgs,
    @Ctx() context: Context,
  ): Promise<User> {
    requireRole(context, ['ADMIN']);
    return createAccount(context.em, { mobile, password, role: 'ADMIN' });
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
