import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';
import type { AdminAction } from '../domain/user-admin';

/** The audit of what admins did to an account: who, when (the id is time-ordered too) and why. Never changed. */
@Entity({ tableName: 'user_admin_actions' })
@Index({ properties: ['userId', 'id'] })
export class UserAdminAction {
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  @Property({ type: 'string', length: 36 })
  userId!: string;

  @Property({ type: 'string', length: 8 })
  action!: AdminAction;

  @Property({ type: 'string', length: 36 })
  adminId!: string;

  @Property({ type: 'string', length: 200 })
  reason!: string;

  @Property({ type: 'Date', length: 3 })
  createdAt!: Date;
}
