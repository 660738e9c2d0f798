import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { connectionType, DateTimeScalar } from '@wanxin/platform';

/** GraphQL's view of domain/user-admin.ts's ADMIN_ACTIONS (the same strings). */
export enum AdminActionEnum {
  DISABLE = 'DISABLE',
  ENABLE = 'ENABLE',
  UNLOCK = 'UNLOCK',
}
registerEnumType(AdminActionEnum, {
  name: 'UserAdminActionKind',
  description: 'What an admin did to an account.',
  valuesConfig: {
    DISABLE: { description: 'disableUser: no sign-in, and every token issued before it refused, on every service.' },
    ENABLE: { description: 'enableUser: sign-in allowed again; tokens from before the disable stay refused.' },
    UNLOCK: { description: 'unlockUser: the lock after too many wrong passwords ended early.' },
  },
});

/** Whether the account may be used; the lock after wrong passwords is User.lockedUntil. */
export enum UserStatusEnum {
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
}
registerEnumType(UserStatusEnum, {
  name: 'UserStatus',
  description: 'ACTIVE, or DISABLED by an admin (disableUser).',
  valuesConfig: {
    ACTIVE: { description: 'The user may sign in.' },
    DISABLED: { description: 'Disabled by an admin: sign-in is refused and earlier tokens no longer work.' },
  },
});

@ObjectType('UserAdminAction', { description: 'ADMIN: one thing an admin did to an account — who, when and why.' })
export class UserAdminActionNode {
  @Field(() => ID, { description: "The action's id." })
  id!: string;

  @Field(() => AdminActionEnum, { description: 'What was done.' })
  action!: AdminActionEnum;

  @Field(() => ID, { description: 'The admin who did it (their User id).' })
  adminId!: string;

  @Field(() => String, { description: "The admin's reason, as given." })
  reason!: string;

  @Field(() => DateTimeScalar, { description: 'Wall-clock instant (UTC) it took effect.' })
  createdAt!: Date;
}

export const UserAdminActionConnection = connectionType('UserAdminAction', UserAdminActionNode);
