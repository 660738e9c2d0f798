import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  DateTimeScalar,
  findPage,
  PageArgs,
  requireOwnerOrAdmin,
  requireRole,
  type Connection,
  type Role,
  type SubgraphContext,
  assert,
} from '@wanxin/platform';
import { isLocked } from '../domain/account-rules';
import type { AdminAction } from '../domain/user-admin';
import { UserAdminAction } from '../entities/user-admin-action.entity';
import { User } from '../entities/user.entity';
import { applyAdminAction, findUsers } from '../operations/admin-users';
import type { UsersServices } from '../services';
import { UserAdminActionConnection, UserAdminActionNode, UserStatusEnum } from './admin-action.type';
import { RoleEnum } from './role.enum';
import { UserConnection, UserNode } from './user.type';

type Context = SubgraphContext<UsersServices>;

const USER_ID = { description: "The account's id." };
const REASON = { description: 'Why, 1 to 200 characters; kept in the account’s adminActions.' };

/** The operator's user management: the list, disable / enable / unlock, and what admins did to an account. */
@Resolver(() => UserNode)
export class AdminUsersResolver {
  @Query(() => UserConnection, {
    description: 'ADMIN: users, newest first; of one role, and/or whose mobile or real name contains `text`.',
  })
  async users(
    @Arg('role', () => RoleEnum, { nullable: true, description: 'Only this role.' }) role: Role | null,
    @Arg('text', () => String, {
      nullable: true,
      description: 'Part of the mobile or the real name, 1 to 100 characters (no %, _ or \\).',
    })
    text: string | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: Context,
  ): Promise<Connection<User>> {
    requireRole(context, ['ADMIN']);
    return findUsers(context.em, { role: role ?? null, text: text ?? null }, page);
  }

  @Mutation(() => UserNode, {
    description:
      'ADMIN: disables another account: sign-in is refused and every token it holds stops working on every service.',
  })
  disableUser(
    @Arg('userId', () => ID, USER_ID) userId: string,
    @Arg('reason', () => String, REASON) reason: string,
    @Ctx() context: Context,
  ): Promise<User> {
    return this.act(context, 'DISABLE', userId, reason);
  }

  @Mutation(() => UserNode, {
    description:
      'ADMIN: enables a disabled account: it may sign in again; tokens from before the disable stay refused.',
  })
  enableUser(
    @Arg('userId', () => ID, USER_ID) userId: string,
    @Arg('reason', () => String, REASON) reason: string,
    @Ctx() context: Context,
  ): Promise<User> {
    return this.act(context, 'ENABLE', userId, reason);
  }

  @Mutation(() => UserNode, { description: 'ADMIN: ends the lock that too many wrong passwords put on an account.' })
  unlockUser(
    @Arg('userId', () => ID, USER_ID) userId: string,
    @Arg('reason', () => String, REASON) reason: string,
    @Ctx() context: Context,
  ): Promise<User> {
    return this.act(context, 'UNLOCK', userId, reason);
  }

  private async act(context: Context, action: AdminAction, userId: string, reason: string): Promise<User> {
    const admin = requireRole(context, ['ADMIN']);
    return applyAdminAction(context.em, { action, adminId: admin.id, userId, reason });
  }

  @FieldResolver(() => UserStatusEnum, {
    nullable: true,
    description: 'ACTIVE or DISABLED: the user or an admin; null (with an error) for others.',
  })
  status(@Root() user: User, @Ctx() context: Context): UserStatusEnum {
    requireOwnerOrAdmin(context, user.id, "an account's status");
    return user.disabledAt === null ? UserStatusEnum.ACTIVE : UserStatusEnum.DISABLED;
  }

  @FieldResolver(() => DateTimeScalar, {
    nullable: true,
    description:
      'Until when wrong passwords locked the account (null: not locked): the user or an admin; null (with an error) for others.',
  })
  lockedUntil(@Root() user: User, @Ctx() context: Context): Date | null {
    requireOwnerOrAdmin(context, user.id, "an account's lock");
    return isLocked(user.lockedUntil, new Date()) ? user.lockedUntil : null;
  }

  @FieldResolver(() => UserAdminActionConnection, {
    nullable: true,
    description: 'ADMIN: what admins did to this account, newest first; null (with an error) for anyone else.',
  })
  async adminActions(
    @Root() user: User,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: Context,
  ): Promise<Connection<UserAdminAction>> {
    requireRole(context, ['ADMIN']);
    return findPage(context.em, UserAdminAction, { userId: user.id }, page);
  }
}

/** Who acted: the admin's account, as User shows it to the admin reading the audit. */
@Resolver(() => UserAdminActionNode)
export class UserAdminActionResolver {
  @FieldResolver(() => UserNode, { description: 'The admin who did it.' })
  async admin(@Root() action: UserAdminAction, @Ctx() context: Context): Promise<User> {
    const admin = await context.loaders.byId(User).load(action.adminId);
    assert(admin !== null, 'an admin action names an existing admin, and users are never deleted');
    return admin;
  }
}
