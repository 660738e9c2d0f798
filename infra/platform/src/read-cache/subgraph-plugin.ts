import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  isObjectType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { currentChangeCollectors } from './change-tags';
import type { ViewerObservation } from './viewer-observation';

/** The extension in which a subgraph says its answer may be cached, and for whom (see CacheScope). */
export const CACHE_SCOPE_EXTENSION = 'wanxinCache';
/** The extension in which a subgraph names what the request changed (read-your-writes at the gateway). */
export const CACHE_CHANGED_EXTENSION = 'wanxinChanged';

/**
 * Who may share a cacheable answer: everyone (`PUBLIC`), or viewers of one kind — anonymous, or signed in with
 * one role — none of whom is one of `owners` (a viewer who is gets the subgraph's own answer).
 */
export type CacheScope = { viewer: 'PUBLIC' } | { viewer: 'KIND'; owners: string[] };

/** What a subgraph's answer changed: entity tags, or everything it serves. */
export interface CacheChange {
  subgraph: string;
  tags: string[];
  all: boolean;
}

/** Operations whose cacheability is remembered, at most (the gateway's plans send a few dozen). */
const DOCUMENTS_REMEMBERED_MAX = 1_000;

/**
 * Whether every field a document selects is one the subgraph declared cacheable: `Type.field`, or `Type.*`
 * for all of a type's fields. A declared field reads only rows with a change tag rule, and the viewer only
 * through the context (so its observation is complete): nothing else, not the clock.
 */
function selectsOnly(schema: GraphQLSchema, document: DocumentNode, cacheable: ReadonlySet<string>): boolean {
  const typeInfo = new TypeInfo(schema);
  let every = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const name = node.name.value;
        if (name === '__typename' || name === '_entities') return;
        const parent = getNamedType(typeInfo.getParentType());
        const typeName = parent !== null && parent !== undefined && isObjectType(parent) ? parent.name : '?';
        if (!cacheable.has(`${typeName}.${name}`) && !cacheable.has(`${typeName}.*`)) every = false;
      },
    }),
  );
  return every;
}

/**
 * A subgraph's half of the gateway's read cache: a query whose every field is declared cacheable, answered
 * without errors, says so and for whom (`extensions.wanxinCache`); any answer whose request changed rows with
 * a change tag rule names them (`extensions.wanxinChanged`).
 */
export function readCachePlugin(
  subgraph: string,
  cacheableFields: readonly string[],
): ApolloServerPlugin<{ viewerObservation?: ViewerObservation }> {
  const cacheable = new Set(cacheableFields);
  const remembered = new Map<string, boolean>();
  const isCacheable = (schema: GraphQLSchema, query: string, document: DocumentNode) => {
    let answer = remembered.get(query);
    if (answer !== undefined) return answer;
    answer = selectsOnly(schema, document, cacheable);
    if (remembered.size >= DOCUMENTS_REMEMBERED_MAX) remembered.clear();
    remembered.set(query, answer);
    return answer;
  };
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue, operation, schema, document, request, errors }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const extensions: Record<string, unknown> = {};
          const changed = currentChangeCollectors()[0];
          if (changed !== undefined && !changed.isEmpty) {
            extensions[CACHE_CHANGED_EXTENSION] = { subgraph, tags: [...changed.tags], all: changed.all };
          }
          const observation = contextValue.viewerObservation;
          const answerable =
            operation?.operation === 'query' &&
            document !== undefined &&
            request.query !== undefined &&
            (errors ?? result.errors ?? []).length === 0 &&
            changed?.isEmpty !== false &&
            observation !== undefined &&
            !observation.identityRead;
          if (answerable && isCacheable(schema, request.query!, document)) {
            extensions[CACHE_SCOPE_EXTENSION] = observation!.consulted
              ? { viewer: 'KIND', owners: [...observation!.owners] }
              : { viewer: 'PUBLIC' };
          }
          if (Object.keys(extensions).length > 0) result.extensions = { ...result.extensions, ...extensions };
        },
      };
    },
  };
}
