// The users subgraph as its integration tests run it: on a test environment's database, with the bootstrap
// admin, and called as the gateway calls it (the end user's address with the service token).
import {
  CLIENT_ADDRESS_HEADER,
  readSubgraphConfig,
  resolveServiceSecret,
  SERVICE_TOKEN_HEADER,
  startSubgraph,
  type HttpService,
} from '@wanxin/platform';
import { postGraphQL, type GraphQLResponse, type TestEnvironment } from '@wanxin/platform/testing';
import { createSubgraph } from '../src';

/** The bootstrap admin every users test may sign in as. */
export const TEST_ADMIN = { mobile: '13900000000', password: 'admin-pass-1' };

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

/** Starts users on `environment` (any free port unless `extraEnv` names one), with TEST_ADMIN. */
export function startUsers(environment: TestEnvironment, extraEnv: Record<string, string> = {}): Promise<HttpService> {
  const definition = createSubgraph();
  const env = {
    ...environment.env,
    PORT: '0',
    WANXIN_ADMIN_MOBILE: TEST_ADMIN.mobile,
    WANXIN_ADMIN_PASSWORD: TEST_ADMIN.password,
    ...extraEnv,
  };
  return startSubgraph(definition, readSubgraphConfig(definition, env));
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
