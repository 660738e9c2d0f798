import path from 'node:path';
import { DEFAULT_READ_CACHE_LIMITS, type ReadCacheLimits } from './read-cache';
import {
  loadConfig,
  readPlatformConfig,
  SUBGRAPH_NAMES,
  type PlatformConfig,
  type SubgraphName,
} from '@wanxin/platform';

export interface GatewayConfig {
  platform: PlatformConfig;
  port: number;
  supergraphPath: string;
  /** How the gateway follows `supergraphPath` after start: a new supergraph needs no restart. */
  supergraphFollow: { pollIntervalMs: number; debounceMs: number; bytesMax: number };
  /** Where each subgraph is, overriding the URL composed into the supergraph. */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  /** Parser ceiling: a document with more tokens is refused before it is parsed. */
  tokensMax: number;
  /**
   * Proxies in front of the gateway that append to X-Forwarded-For: the client address is the entry this
   * many from the right (entries further left are whatever the client sent). 0: the socket's address.
   */
  trustedProxyHops: number;
  subscriptions: SubscriptionLimits;
  /** The read cache's bounds; undefined when it is off (READ_CACHE=off). */
  readCache: ReadCacheLimits | undefined;
}

/** Bounds on the WebSocket side. */
export interface SubscriptionLimits {
  /** Bytes one subscriber's socket may have waiting; a client further behind is disconnected (close code 4413). */
  subscriberBufferBytesMax: number;
  subscriptionsPerConnectionMax: number;
  connectionsMax: number;
}

export const DEFAULT_SUPERGRAPH_PATH = path.resolve(__dirname, '../../../schema/supergraph.graphql');

export function readGatewayConfig(env: Readonly<Record<string, string | undefined>>): GatewayConfig {
  return loadConfig(env, (reader) => {
    const platform = readPlatformConfig(reader);
    if (platform.nodeEnv === 'production' && platform.internalApiSecret === undefined) {
      const why = 'subgraphs trust its client addresses only with it';
      reader.problem('INTERNAL_API_SECRET', `is required by the gateway when NODE_ENV=production (${why})`);
    }
    const subgraphUrls: Partial<Record<SubgraphName, string>> = {};
    for (const name of SUBGRAPH_NAMES) {
      const url = reader.optionalUrl(`${name.toUpperCase()}_URL`, ['http:', 'https:']);
      if (url !== undefined) subgraphUrls[name] = url.toString();
    }
    return {
      platform,
      port: reader.int('PORT', 4000, 0, 65535),
      supergraphPath: path.resolve(reader.string('SUPERGRAPH_PATH', DEFAULT_SUPERGRAPH_PATH)),
      supergraphFollow: {
        pollIntervalMs: reader.int('SUPERGRAPH_POLL_INTERVAL_MS', 10_000, 100, 3_600_000),
        debounceMs: reader.int('SUPERGRAPH_DEBOUNCE_MS', 250, 0, 60_000),
        bytesMax: reader.int('SUPERGRAPH_BYTES_MAX', 16 * 1024 * 1024, 1024, 256 * 1024 * 1024),
      },
      subgraphUrls,
      tokensMax: reader.int('QUERY_TOKENS_MAX', 5_000, 100, 100_000),
      // TRUST_PROXY=1, the older setting, means one proxy.
      trustedProxyHops: reader.int(
        'TRUSTED_PROXY_HOPS',
        reader.oneOf('TRUST_PROXY', ['0', '1'], '0') === '1' ? 1 : 0,
        0,
        10,
      ),
      subscriptions: {
        subscriberBufferBytesMax: reader.int('SUBSCRIBER_BUFFER_BYTES_MAX', 128 * 1024, 1024, 16 * 1024 * 1024),
        subscriptionsPerConnectionMax: reader.int('SUBSCRIPTIONS_PER_CONNECTION_MAX', 25, 1, 1_000),
        connectionsMax: reader.int('SUBSCRIPTION_CONNECTIONS_MAX', 20_000, 1, 1_000_000),
      },
      readCache:
        reader.oneOf('READ_CACHE', ['on', 'off'], 'on') === 'off'
          ? undefined
          : {
              ...DEFAULT_READ_CACHE_LIMITS,
              entriesMax: reader.int('READ_CACHE_ENTRIES_MAX', DEFAULT_READ_CACHE_LIMITS.entriesMax, 1, 10_000_000),
              bytesMax: reader.int('READ_CACHE_BYTES_MAX', DEFAULT_READ_CACHE_LIMITS.bytesMax, 1024, 2 ** 40),
            },
    };
  });
}
