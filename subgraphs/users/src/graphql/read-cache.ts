import type { SubgraphDefinition } from '@wanxin/platform';
import { User } from '../entities/user.entity';

/**
 * What the gateway may keep of users' answers: a user's public columns, masked or not by isOwnerOrAdmin (the
 * gateway never shares an answer with a viewer it compared). A user's row changing stamps `User:<id>`.
 */
export const USERS_READ_CACHE: SubgraphDefinition['readCache'] = {
  cacheableFields: ['id', 'role', 'createdAt', 'mobile', 'idNumber', 'realName', 'status'].map(
    (field) => `User.${field}`,
  ),
  changeTags: [
    { entity: User, tagsOf: (user: Partial<User>) => (user.id === undefined ? undefined : [`User:${user.id}`]) },
  ],
};
