/**
 * The bootstrap admin of every test platform: users creates it from TEST_ADMIN_ENV at start, and tests
 * sign in with it. A development launch uses its own (the launcher's); production names one explicitly.
 */
export const TEST_ADMIN = { mobile: '13900000000', password: 'admin-pass-1' };

/** The users subgraph's settings that create TEST_ADMIN. */
export const TEST_ADMIN_ENV = {
  WANXIN_ADMIN_MOBILE: TEST_ADMIN.mobile,
  WANXIN_ADMIN_PASSWORD: TEST_ADMIN.password,
} as const;
