// Starts the identity provider in-process on a free port for tests (its own database under the test's
// prefix), and the platform's side of its tests: signed requests, sample images, a callback receiver.
import { idNumberCheckCharacter, loadConfig, type DatabaseKind } from '@wanxin/platform';
import {
  IDENTITY_MESSAGE_TYPES,
  IDENTITY_PATHS,
  openIdentityResult,
  type IdentityVerificationRequest,
  type IdentityVerificationResult,
} from '@wanxin/platform/identity-protocol';
import { startProviderHarness, type ProviderHarness } from '@wanxin/simulator-kit/testing';
import type { RunningProvider } from '@wanxin/simulator-kit';
import { readIdentityConfig, startIdentityProvider } from './identity';

export { CallbackReceiver, PlatformSide, type ProviderHarness } from '@wanxin/simulator-kit/testing';

/** Quick callbacks for tests: decided at once, retried after 5 ms, 10 ms, 20 ms, … */
export const IDENTITY_TEST_ENV = { IDENTITY_DECISION_DELAY_MS: '0', IDENTITY_CALLBACK_RETRY_BASE_MS: '5' };

/** The identity provider on a free port with `env` (a test environment's, at least). */
export function startIdentityForTests(env: Record<string, string>): Promise<RunningProvider> {
  return startIdentityProvider(loadConfig({ ...IDENTITY_TEST_ENV, ...env, PORT: '0' }, readIdentityConfig));
}

/** The smallest JPEG header and PNG signature, each followed by `seed` so images of a request differ. */
export function jpegImage(seed: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(seed, 'utf8')]);
}

export function pngImage(seed: string): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(seed, 'utf8')]);
}

/** A valid ID number born on `birthDate` (YYYYMMDD) with sequence digits `sequence` (3 digits). */
export function idNumberOf(birthDate: string, sequence: string): string {
  const first17 = `110105${birthDate}${sequence}`;
  return first17 + idNumberCheckCharacter(first17);
}

let sequence = 0;

/** A request the rule verifies, unless `overrides` change that. */
export function verificationRequest(
  callbackUrl: string,
  overrides: Partial<IdentityVerificationRequest> = {},
): IdentityVerificationRequest {
  sequence += 1;
  return {
    requestId: `REQ${Date.now().toString(36)}${sequence}`,
    realName: '王小明',
    idNumber: idNumberOf('19900101', String(100 + (sequence % 800)).padStart(3, '0')),
    idFrontImage: jpegImage('front').toString('base64'),
    idBackImage: jpegImage('back').toString('base64'),
    faceImage: pngImage('face').toString('base64'),
    callbackUrl,
    ...overrides,
  };
}

export type IdentityHarness = ProviderHarness<RunningProvider, IdentityVerificationRequest, IdentityVerificationResult>;

/** The identity provider on a private database of `kind`, a receiver refusing its first `failFirst` callbacks. */
export function startIdentityHarness(
  kind: DatabaseKind,
  options: { failFirst?: number } = {},
): Promise<IdentityHarness> {
  return startProviderHarness(
    kind,
    {
      start: startIdentityForTests,
      path: IDENTITY_PATHS.verifications,
      requestType: IDENTITY_MESSAGE_TYPES.request,
      receiptType: IDENTITY_MESSAGE_TYPES.receipt,
      openCallback: (envelope, publicKeyPem) => openIdentityResult(envelope, publicKeyPem).result,
    },
    options,
  );
}
