export { startIdentityProvider, readIdentityConfig, IDENTITY_DEFAULT_PORT } from './identity';
export { identityDatabase } from './database';
export {
  decideVerification,
  VERIFIED_AGE_MAX,
  VERIFIED_AGE_MIN,
  UNKNOWN_SEQUENCE_DIGITS,
  type VerificationDecision,
  type VerificationInput,
} from './domain/verification-rule';
export type { RunningProvider } from '@wanxin/simulator-kit';
