import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { Counter, Gauge, type Registry } from 'prom-client';
import { assert, type CacheChange, type CacheScope, type Viewer } from '@wanxin/platform';

/** Bounds of one gateway's read cache. */
export interface ReadCacheLimits {
  /** Answers kept (whole responses and subgraph fetches together); the least recently used go first. */
  entriesMax: number;
  /** Bytes of JSON kept, at most. */
  bytesMax: number;
  /** Entity tags with a version; past it every version is forgotten and everything kept counts as stale. */
  tagsMax: number;
  /** Users whose tokens were revoked while this gateway ran: they bypass the cache, so subgraphs refuse them. */
  revokedUsersMax: number;
}

export const DEFAULT_READ_CACHE_LIMITS: ReadCacheLimits = {
  entriesMax: 10_000,
  bytesMax: 256 * 1024 * 1024,
  tagsMax: 200_000,
  revokedUsersMax: 100_000,
};

/** What one request's answers depended on, gathered fetch by fetch: the whole response's entry is built from it. */
export interface ReadTrace {
  /** The change counter when the request started: the response is fresh while no dependency changed after it. */
  since: number;
  dependencies: Set<string>;
  scope: ScopeUnion;
  /** False once any fetch could not be kept (a mutation, an error, a field not declared cacheable). */
  cacheable: boolean;
  /** The response came from the cache: nothing to keep. */
  served: boolean;
}

/** The scopes of several answers together: per viewer kind if any was, with every owner any compared. */
export class ScopeUnion {
  perKind = false;
  readonly owners = new Set<string>();

  add(scope: CacheScope | ScopeUnion): void {
    const owners =
      scope instanceof ScopeUnion
        ? scope.perKind
          ? scope.owners
          : undefined
        : scope.viewer === 'KIND'
          ? scope.owners
          : undefined;
    if (owners === undefined) return;
    this.perKind = true;
    for (const owner of owners) this.owners.add(owner);
  }
}

export interface Entry {
  json: string;
  dependencies: string[];
  since: number;
  scope: ScopeUnion;
}

/** What a lookup found: an answer, nothing (ask, and keep the answer), or an answer this viewer must not share. */
type Lookup = { hit: Entry } | 'miss' | 'bypass';

/**
 * Versions of entity tags under one counter: a change bumps the counter and stamps its tags with it; an answer
 * kept at counter `since` is fresh while none of its dependencies is stamped after `since`. Stamping after the
 * subgraph committed, and judging by the counter read before asking, an answer read before a change can never
 * be kept as fresh after it.
 */
class TagVersions {
  private counter = 0;
  private floor = 0;
  private readonly versions = new Map<string, number>();

  constructor(private readonly tagsMax: number) {}

  get now(): number {
    return this.counter;
  }

  stamp(tags: readonly string[]): void {
    this.counter += 1;
    if (this.versions.size + tags.length > this.tagsMax) return this.stampAll();
    for (const tag of tags) this.versions.set(tag, this.counter);
  }

  stampAll(): void {
    this.counter += 1;
    this.floor = this.counter;
    this.versions.clear();
  }

  isFresh(dependencies: readonly string[], since: number): boolean {
    if (this.floor > since) return false;
    for (const dependency of dependencies) if ((this.versions.get(dependency) ?? 0) > since) return false;
    return true;
  }
}

/** The viewer's kind: the only thing about them a KIND-scoped answer depends on. */
function kindOf(viewer: Viewer | null): string {
  return viewer === null ? 'anonymous' : viewer.role;
}

/** The tags a subgraph's change stamps: the entities named, and the subgraph's lists (or all it serves). */
export function tagsOfChange(change: CacheChange): string[] {
  const listTag = `${change.subgraph}|*`;
  if (change.all) return [listTag, `${change.subgraph}|all`];
  return [listTag, ...change.tags.map((tag) => `${change.subgraph}|${tag}`)];
}

/**
 * The dependencies of one subgraph fetch: everything the subgraph serves, plus each entity it was asked about
 * (`_entities`), or its lists (a root field).
 */
export function dependenciesOfFetch(subgraph: string, variables: Record<string, unknown> | undefined): string[] {
  const dependencies = [`${subgraph}|all`];
  const representations = variables?.representations;
  if (!Array.isArray(representations)) return [...dependencies, `${subgraph}|*`];
  for (const representation of representations as { __typename?: unknown; id?: unknown }[]) {
    if (typeof representation?.__typename !== 'string' || typeof representation.id !== 'string')
      return [...dependencies, `${subgraph}|*`];
    dependencies.push(`${subgraph}|${representation.__typename}:${representation.id}`);
  }
  return dependencies;
}

/**
 * The gateway's read cache: whole responses, and subgraph fetches, kept as JSON until a change to what they
 * read (a subgraph's `platform.cache.changed`, or a mutation's answer through this gateway) makes them stale —
 * never by age. An answer is shared only between viewers its subgraphs cannot tell apart (CacheScope).
 */
export class ReadCache {
  private readonly versions: TagVersions;
  private readonly entries = new Map<string, Entry>();
  /** Per base key (an operation or fetch without the viewer): whether answers vary by viewer kind, and owners. */
  private readonly scopes = new Map<string, ScopeUnion>();
  private readonly revokedUsers = new Set<string>();
  private bytes = 0;
  private readonly lookups: Counter;
  private readonly size: Gauge;

  constructor(
    private readonly limits: ReadCacheLimits,
    registry: Registry,
  ) {
    assert(limits.entriesMax >= 1 && limits.bytesMax >= 1024, 'read cache bounds out of range');
    this.versions = new TagVersions(limits.tagsMax);
    this.lookups = new Counter({
      name: 'wanxin_gateway_read_cache_lookups_total',
      help: 'Read cache lookups by level (response, fetch) and outcome (hit, miss, bypass)',
      labelNames: ['level', 'outcome'],
      registers: [registry],
    });
    this.size = new Gauge({
      name: 'wanxin_gateway_read_cache_bytes',
      help: 'Bytes of JSON the read cache keeps',
      registers: [registry],
    });
  }

  newTrace(): ReadTrace {
    return {
      since: this.versions.now,
      dependencies: new Set(),
      scope: new ScopeUnion(),
      cacheable: true,
      served: false,
    };
  }

  get now(): number {
    return this.versions.now;
  }

  /** A subgraph committed a change: what read the changed entities is stale from now on. */
  changed(change: CacheChange): void {
    this.versions.stamp(tagsOfChange(change));
  }

  /** Events may have been missed (the listener reconnected): nothing kept can be trusted. */
  forgetAll(): void {
    this.versions.stampAll();
    this.entries.clear();
    this.scopes.clear();
    this.bytes = 0;
    this.size.set(0);
  }

  /** The user's tokens were revoked: their requests go to the subgraphs, which refuse the old ones. */
  revoked(userId: string): void {
    if (this.revokedUsers.size >= this.limits.revokedUsersMax) this.revokedUsers.clear();
    this.revokedUsers.add(userId);
  }

  lookup(level: 'response' | 'fetch', baseKey: string, viewer: Viewer | null): Lookup {
    const outcome = this.find(baseKey, viewer);
    this.lookups.inc({ level, outcome: typeof outcome === 'object' ? 'hit' : outcome });
    return outcome;
  }

  private find(baseKey: string, viewer: Viewer | null): Lookup {
    if (viewer !== null && this.revokedUsers.has(viewer.id)) return 'bypass';
    const scope = this.scopes.get(baseKey);
    if (scope === undefined) return 'miss';
    if (viewer !== null && scope.owners.has(viewer.id)) return 'bypass';
    const key = this.keyOf(baseKey, scope, viewer);
    const entry = this.entries.get(key);
    if (entry === undefined) return 'miss';
    this.entries.delete(key);
    if (!this.versions.isFresh(entry.dependencies, entry.since)) {
      this.bytes -= entry.json.length;
      return 'miss';
    }
    this.entries.set(key, entry);
    return { hit: entry };
  }

  /** Keeps an answer read since counter `since`, unless its viewer is one it depends on by identity. */
  keep(baseKey: string, viewer: Viewer | null, answer: Omit<Entry, 'json'>, value: unknown): void {
    if (viewer !== null && (answer.scope.owners.has(viewer.id) || this.revokedUsers.has(viewer.id))) return;
    if (!this.versions.isFresh(answer.dependencies, answer.since)) return;
    let scope = this.scopes.get(baseKey);
    if (scope === undefined) this.scopes.set(baseKey, (scope = new ScopeUnion()));
    if (answer.scope.perKind && !scope.perKind) {
      // Kept answers were keyed without the viewer kind: drop them rather than find them under the wrong key.
      this.drop(`${baseKey}\u0000`);
      scope.perKind = true;
    }
    for (const owner of answer.scope.owners) scope.owners.add(owner);
    const json = JSON.stringify(value);
    const key = this.keyOf(baseKey, scope, viewer);
    this.drop(key);
    this.entries.set(key, { ...answer, json });
    this.bytes += json.length;
    this.evict();
  }

  private keyOf(baseKey: string, scope: ScopeUnion, viewer: Viewer | null): string {
    return `${baseKey}\u0000${scope.perKind ? kindOf(viewer) : ''}`;
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.bytes -= entry.json.length;
  }

  private evict(): void {
    while (this.entries.size > this.limits.entriesMax || this.bytes > this.limits.bytesMax) {
      const oldest = this.entries.keys().next().value as string;
      this.drop(oldest);
    }
    if (this.scopes.size > 4 * this.limits.entriesMax) this.scopes.clear();
    this.size.set(this.bytes);
  }
}

/** A response's key without the viewer: the document, the operation chosen and the variables. */
function responseKeyOf(request: GraphQLRequestContext<{ readTrace?: ReadTrace }>['request']): string | undefined {
  if (request.query === undefined) return undefined;
  return `${request.operationName ?? ''}\u0000${JSON.stringify(request.variables ?? {})}\u0000${request.query}`;
}

/**
 * Whole responses from the read cache: a query answered before, fresh, for a viewer of the same kind, is
 * served without planning or asking a subgraph; a query answered without errors from fetches that could all
 * be kept is kept itself.
 */
export function readCachePlugin(
  cache: ReadCache,
): ApolloServerPlugin<{ viewer: Viewer | null; readTrace?: ReadTrace }> {
  return {
    async requestDidStart({ contextValue }) {
      const trace = contextValue.readTrace;
      if (trace === undefined) return {};
      // Known once the operation is resolved; a request that never got there (it failed) is not kept.
      let key: string | undefined;
      return {
        async responseForOperation({ request, operation }) {
          key = responseKeyOf(request);
          if (operation.operation !== 'query' || key === undefined) {
            trace.cacheable = false;
            return null;
          }
          const found = cache.lookup('response', key, contextValue.viewer);
          if (found === 'bypass') trace.cacheable = false;
          if (typeof found !== 'object') return null;
          trace.served = true;
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: JSON.parse(found.hit.json) as Record<string, unknown> } },
          };
        },
        async willSendResponse({ response }) {
          if (!trace.cacheable || trace.served || key === undefined || response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if ((errors ?? []).length > 0 || data === undefined || data === null) return;
          const answer = { dependencies: [...trace.dependencies], since: trace.since, scope: trace.scope };
          cache.keep(key, contextValue.viewer, answer, data);
        },
      };
    },
  };
}
