import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { assert, forkEntityManager, publishEvent, type EntityManager, type EnvReader, type PlatformConfig, type Role, type SubgraphRuntime } from '@wanxin/platform';
import { isValidMobile, passwordProblem } from './domain/account-rules';
import { hashPassword } from './domain/password';
import { User } from './entities/user.entity';
import { UserRegistered } from './events/user-registered';

/** The users subgraph's own settings. */
export interface UsersSettings {
  /** Bootstrap admin, created at start when both are set and the mobile is free. */
  adminMobile: string | undefined;
  adminPassword: string | undefined;
}

export function readUsersSettings(reader: EnvReader, config: PlatformConfig): UsersSettings {
  const adminMobile = reader.optionalString('WANXIN_ADMIN_MOBILE', /^1[3-9][0-9]{9}$/, 'an 11-digit mainland mobile number');
  const adminPassword = reader.optionalString('WANXIN_ADMIN_PASSWORD');
  if ((adminMobile === undefined) !== (adminPassword === undefined)) {
    reader.problem('WANXIN_ADMIN_PASSWORD', 'WANXIN_ADMIN_MOBILE and WANXIN_ADMIN_PASSWORD are set together or not at all');
  }
  const problem = adminPassword === undefined ? null : passwordProblem(adminPassword);
  if (problem !== null) reader.problem('WANXIN_ADMIN_PASSWORD', problem);
  if (config.nodeEnv === 'production' && config.jwt.privateKeyPem === undefined) {
    reader.problem('JWT_PRIVATE_KEY', 'is required by the users subgraph when NODE_ENV=production');
  }
  return { adminMobile, adminPassword };
}

/** What the users resolvers need beyond the request. */
export interface UsersServices {
  signingKeyPem: string;
  tokenTtlSeconds: number;
}

/** Stores a new user and its `users.user.registered` event; a mobile already registered is reported as null. */
export async function insertUser(
  em: EntityManager,
  fields: { mobile: string; password: string; role: Role },
): Promise<User | null> {
  assert(isValidMobile(fields.mobile), 'mobile must be validated before insert');
  const passwordHash = await hashPassword(fields.password);
  try {
    return await em.transactional(async (tx) => {
      const user = tx.create(User, { mobile: fields.mobile, role: fields.role, passwordHash });
      publishEvent(tx, UserRegistered, user.id, { userId: user.id, role: user.role, registeredAt: user.createdAt.toISOString() });
      return user;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return null;
    throw error;
  }
}

export async function createUsersServices(runtime: SubgraphRuntime<UsersSettings>): Promise<UsersServices> {
  const { adminMobile, adminPassword } = runtime.settings;
  assert(runtime.keys.privateKeyPem !== undefined, 'the users subgraph signs tokens and needs JWT_PRIVATE_KEY');
  if (adminMobile !== undefined && adminPassword !== undefined) {
    const admin = await insertUser(forkEntityManager(runtime.orm), { mobile: adminMobile, password: adminPassword, role: 'ADMIN' });
    runtime.logger.info({ mobile: adminMobile, created: admin !== null }, 'bootstrap admin');
  }
  return { signingKeyPem: runtime.keys.privateKeyPem, tokenTtlSeconds: runtime.config.jwt.ttlSeconds };
}
