// The users subgraph as its integration tests run it: on a test environment's database, with the bootstrap
// admin, and called as the gateway calls it (the end user's address with the service token); and what
// those tests share: users beside its identity and risk providers, registering, an identity the provider
// verifies, a callback posted as a provider.
import {
  assert,
  CLIENT_ADDRESS_HEADER,
  initDatabase,
  resolveKeyPair,
  resolveServiceSecret,
  SERVICE_TOKEN_HEADER,
  type Database,
  type DatabaseKind,
  type HttpService,
} from '@wanxin/platform';
import {
  createTestEnvironment,
  dataOf,
  freePort,
  postGraphQL,
  TEST_ADMIN_ENV,
  startSubgraphOnFreePort,
  type GraphQLResponse,
  type TestEnvironment,
} from '@wanxin/platform/testing';
import { idNumberOf, jpegImage, pngImage, startIdentityForTests } from '@wanxin/identity-simulator/testing';
import type { RunningProvider } from '@wanxin/identity-simulator';
import { startRiskForTests } from '@wanxin/risk-simulator/testing';
import type { RiskProvider } from '@wanxin/risk-simulator';
import { createSubgraph } from '../src';

/** A complete, valid profile input with one emergency contact; tests override the fields they are about. */
export const COMPLETE_PROFILE = {
  education: 'BACHELOR',
  address: '北京市朝阳区建国路 1 号',
  email: 'wang@example.com',
  employer: '万信科技',
  position: '工程师',
  monthlyIncome: '8000.00',
  emergencyContacts: [{ name: '王大明', relation: '父亲', mobile: '13700000001' }],
};

/** Starts users on `environment` (any free port unless `extraEnv` names one), with the platform's TEST_ADMIN. */
export function startUsers(environment: TestEnvironment, extraEnv: Record<string, string> = {}): Promise<HttpService> {
  return startSubgraphOnFreePort(createSubgraph(), environment.env, { ...TEST_ADMIN_ENV, ...extraEnv });
}

/** The providers that answer users by callback. */
export type CallingBackProvider = 'identity' | 'risk';

/** users started beside its providers, for the tests of what those providers decide. */
export interface UsersWithProviders {
  environment: TestEnvironment;
  service: HttpService;
  /** users' own database, for a test to read (and arrange) what users records. */
  orm: Database;
  identity: RunningProvider;
  /** Started when asked for. */
  risk: RiskProvider | undefined;
  /**
   * POSTs `body` as JSON to users' notify route for `provider` (IDENTITY_CALLBACK_URL, RISK_CALLBACK_URL), as
   * the provider would: the HTTP status of the answer.
   */
  notify(provider: CallingBackProvider, body: unknown): Promise<number>;
  /** The key `provider` signs with: a test posing as the provider signs its callbacks with it. */
  privateKeyPemOf(provider: CallingBackProvider): string;
  /** Stops what was started, the last first (once: a second call has nothing left to stop). */
  stop(): Promise<void>;
}

/**
 * A test environment of `kind`, the identity provider (and with `risk` the risk provider) in-process, and users
 * on a port picked first so that the providers call it back at its own routes; `extraEnv` is users' besides.
 */
export async function startUsersWithProviders(
  kind: DatabaseKind,
  options: { risk?: boolean; extraEnv?: Record<string, string> } = {},
): Promise<UsersWithProviders> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.splice(0).reverse()) await stopOne();
  };
  try {
    const environment = createTestEnvironment(kind);
    stops.push(() => environment.cleanup());
    const identity = await startIdentityForTests(environment.env);
    stops.push(() => identity.stop());
    const risk = options.risk === true ? await startRiskForTests(environment.env) : undefined;
    if (risk !== undefined) stops.push(() => risk.stop());
    const port = await freePort();
    const callbackUrls: Record<CallingBackProvider, string> = {
      identity: `http://127.0.0.1:${port}/identity/notify`,
      risk: `http://127.0.0.1:${port}/risk/notify`,
    };
    const service = await startUsers(environment, {
      PORT: String(port),
      IDENTITY_PROVIDER_URL: identity.url,
      IDENTITY_CALLBACK_URL: callbackUrls.identity,
      ...(risk === undefined ? {} : { RISK_PROVIDER_URL: risk.url, RISK_CALLBACK_URL: callbackUrls.risk }),
      ...options.extraEnv,
    });
    stops.push(() => service.stop());
    const orm = await openUsersDatabase(environment);
    stops.push(() => orm.close());
    return {
      environment,
      service,
      orm,
      identity,
      risk,
      notify: (provider, body) => postJson(callbackUrls[provider], body),
      privateKeyPemOf: (provider) => providerPrivateKeyPem(environment, provider),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function providerPrivateKeyPem(environment: TestEnvironment, provider: CallingBackProvider): string {
  const { privateKeyPem } = resolveKeyPair(environment.config.dataDir, provider, {});
  assert(privateKeyPem !== undefined, `the test environment holds the ${provider} provider's private key`);
  return privateKeyPem;
}

/** users' own database in `environment`, for a test to read (and arrange) what users records. */
export function openUsersDatabase(environment: TestEnvironment): Promise<Database> {
  return initDatabase(environment.config, createSubgraph().database);
}

/** A GraphQL request to users as the gateway sends it: from `clientAddress`, with the service token. */
export function callAsGateway(
  service: HttpService,
  environment: TestEnvironment,
  clientAddress: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse> {
  return postGraphQL(service.url, query, variables, token, {
    [CLIENT_ADDRESS_HEADER]: clientAddress,
    [SERVICE_TOKEN_HEADER]: resolveServiceSecret(environment.config.dataDir, undefined),
  });
}

/** A call to users as one test makes it (its client address chosen by the test), optionally signed in. */
export type UsersCall = (
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
) => Promise<GraphQLResponse>;

const REGISTER = 'mutation($input: RegisterInput!) { register(input: $input) { token user { id } } }';

/** Registers `mobile` with the password secret-pass-1 as `role`: the new user's token and id. */
export async function registerUser(
  call: UsersCall,
  mobile: string,
  role = 'BORROWER',
): Promise<{ token: string; id: string }> {
  const { token, user } = dataOf(await call(REGISTER, { input: { mobile, password: 'secret-pass-1', role } })).register;
  return { token: token as string, id: user.id as string };
}

/**
 * A verifyIdentity input the identity provider's rule verifies: an ID number born on `birthDate` (YYYYMMDD)
 * with sequence digits `sequence` (fresh per input, so no two users claim one number), three different images.
 */
export function verifiableIdentityInput(sequence: number, birthDate = '19900101') {
  return {
    realName: '王小明',
    idNumber: idNumberOf(birthDate, String(sequence)),
    idFrontImage: jpegImage(`front ${sequence}`).toString('base64'),
    idBackImage: jpegImage(`back ${sequence}`).toString('base64'),
    faceImage: pngImage(`face ${sequence}`).toString('base64'),
  };
}

async function postJson(url: string, body: unknown): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.status;
}
