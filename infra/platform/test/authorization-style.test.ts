// Roles are checked one way, with requireRole() first thing in a resolver (reference resolvers, which no
// decorator reaches, included): a schema whose resolver uses type-graphql's @Authorized does not build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Authorized, Query, Resolver } from 'type-graphql';
import { buildFederatedSchema, type SubgraphDefinition } from '../src';

@Resolver()
class DecoratedResolver {
  @Authorized('ADMIN')
  @Query(() => String, { description: 'Guarded by a decorator instead of requireRole().' })
  secret(): string {
    return 'secret';
  }
}

const definition: SubgraphDefinition = {
  name: 'users',
  defaultPort: 4001,
  database: { subgraph: 'users', entities: [], migrations: [] },
  resolvers: [DecoratedResolver],
  entityTypes: [],
  referenceResolvers: {},
  readSettings: () => undefined,
  createServices: async () => undefined,
};

test('a resolver guarded with @Authorized instead of requireRole() fails the schema build', async () => {
  await assert.rejects(buildFederatedSchema(definition), /authChecker/);
});
