import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import { BUSINESS_DATE_ADVANCED_TYPE, utcDateOf, type EventEnvelope, type Logger } from '@wanxin/platform';
import { BusinessDateAdvanced, decodePayload } from '@wanxin/platform/contracts';
import type { GatewayContext } from '../context';
import { feedsOf, type Feed } from './event-feeds';
import { SubscriberStream, type SubscriberChannel } from './subscriber-stream';
import type { PlannedSubscription, SubscriptionExecutor } from './subscription-executor';
import type { SubscriptionMetrics } from './subscription-metrics';

/** Events waiting for one group's execution; past this the oldest waits are dropped (and counted). */
const GROUP_WAITING_EVENTS_MAX = 1_000;

export interface HubOptions {
  /** Bytes one subscriber's socket may have waiting before it is dropped as too slow. */
  subscriberBufferBytesMax: number;
  formatError: (error: GraphQLFormattedError, original: unknown) => GraphQLFormattedError;
}

/** What a subscriber brings: the planned document, its variables, the feed it listens to, who it is. */
export interface Subscription {
  planned: PlannedSubscription;
  variables: Record<string, unknown>;
  feedKey: string;
  /** Who the results are computed for: the viewer's id, or anonymous. Groups never mix scopes. */
  scope: string;
  context: GatewayContext;
}

interface Member {
  stream: SubscriberStream;
  context: GatewayContext;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Subscribers with the same document, variables and viewer scope: one execution per event for all of
 * them, run one event after another so every member sees the events in the order they were heard.
 */
class Group {
  readonly members = new Set<Member>();
  private readonly waiting: Feed[] = [];
  private draining = false;

  constructor(
    readonly key: string,
    private readonly subscription: Subscription,
    private readonly hub: SubscriptionHub,
  ) {}

  enqueue(feed: Feed): void {
    const last = this.waiting[this.waiting.length - 1];
    if (feed.conflatable && last?.conflatable) {
      // "Read the figures again" twice is once: the later execution sees both changes.
      this.waiting[this.waiting.length - 1] = feed;
    } else {
      if (this.waiting.length >= GROUP_WAITING_EVENTS_MAX) {
        this.waiting.shift();
        this.hub.metrics.dropped.inc({ reason: 'group-backlog' });
      }
      this.waiting.push(feed);
    }
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (let feed = this.waiting.shift(); feed !== undefined && this.members.size > 0; feed = this.waiting.shift()) {
        const executed = this.hub.metrics.executionSeconds.startTimer();
        const result = await this.hub.executeFor(this.subscription, feed, this.members.values().next().value!.context);
        executed();
        const fannedOut = this.hub.metrics.fanOutSeconds.startTimer();
        // Serialized once for the whole group; each member only wraps it in its own frame.
        const resultJson = JSON.stringify(result);
        let delivered = 0;
        for (const member of this.members) if (member.stream.deliver(resultJson)) delivered += 1;
        fannedOut();
        this.hub.metrics.deliveries.inc(delivered);
      }
    } finally {
      this.draining = false;
      this.waiting.length = 0;
    }
  }
}

/** Reads of the business clock at start, one a second: the subgraphs have two minutes to come up. */
const BUSINESS_DATE_READS_MAX = 120;
const BUSINESS_DATE_READ_DELAY_MS = 1000;

/** Routes heard events to the groups listening to their feeds, and keeps the groups of the live subscribers. */
export class SubscriptionHub {
  private readonly groups = new Map<string, Group>();
  private readonly groupsByFeed = new Map<string, Set<Group>>();
  /** The business date as last heard (repayments' clock): "today" of the platform's daily figures. */
  private businessDate: string | null = null;

  constructor(
    readonly executor: SubscriptionExecutor,
    readonly metrics: SubscriptionMetrics,
    private readonly logger: Logger,
    private readonly options: HubOptions,
  ) {}

  /**
   * Adds a subscriber (graphql-ws id `subscriptionId` on `channel`) to its group; the stream ends, and
   * leaves the group, on completion, socket close, or overflow.
   */
  join(
    subscription: Subscription,
    channel: SubscriberChannel,
    subscriptionId: string,
    onOverflow: () => void,
  ): SubscriberStream {
    const key = createHash('sha256')
      .update(
        [
          subscription.scope,
          subscription.planned.operationName ?? '',
          canonicalJson(subscription.variables),
          subscription.planned.query,
        ].join('\n'),
      )
      .digest('base64url');
    let group = this.groups.get(key);
    if (group === undefined) {
      group = new Group(key, subscription, this);
      this.groups.set(key, group);
      const feedGroups = this.groupsByFeed.get(subscription.feedKey) ?? new Set<Group>();
      feedGroups.add(group);
      this.groupsByFeed.set(subscription.feedKey, feedGroups);
    }
    const joined = group;
    const member: Member = {
      context: subscription.context,
      stream: new SubscriberStream(
        channel,
        subscriptionId,
        this.options.subscriberBufferBytesMax,
        () => {
          this.metrics.dropped.inc({ reason: 'slow-subscriber' });
          onOverflow();
        },
        () => this.leave(joined, subscription.feedKey, member),
      ),
    };
    joined.members.add(member);
    this.metrics.subscribers.inc();
    this.metrics.topics.set(this.groups.size);
    return member.stream;
  }

  private leave(group: Group, feedKey: string, member: Member): void {
    if (!group.members.delete(member)) return;
    this.metrics.subscribers.dec();
    if (group.members.size > 0) return;
    this.groups.delete(group.key);
    const feedGroups = this.groupsByFeed.get(feedKey);
    feedGroups?.delete(group);
    if (feedGroups?.size === 0) this.groupsByFeed.delete(feedKey);
    this.metrics.topics.set(this.groups.size);
  }

  /**
   * Reads the business clock at start, so "today" is right before the next business-date event; the
   * subgraphs may start after the gateway, so a failed read is tried again every `delayMs`, at most
   * `attemptsMax` times. An event heard meanwhile makes the read unnecessary.
   */
  async seedBusinessDate(
    readBusinessDate: () => Promise<string>,
    attemptsMax = BUSINESS_DATE_READS_MAX,
    delayMs = BUSINESS_DATE_READ_DELAY_MS,
  ): Promise<void> {
    for (let attempt = 1; attempt <= attemptsMax && this.businessDate === null; attempt += 1) {
      try {
        this.noteBusinessDate(await readBusinessDate());
      } catch (error) {
        if (attempt === attemptsMax)
          this.logger.warn(
            { err: error },
            'business date not read: platformStats counts the UTC day until it advances',
          );
        else await sleep(delayMs, undefined, { ref: false });
      }
    }
  }

  /** A business date heard (its event, or the clock read at start): the clock only moves forward. */
  noteBusinessDate(date: string): void {
    if (this.businessDate === null || date > this.businessDate) this.businessDate = date;
  }

  /**
   * An event from the listener: every group on one of its feeds executes once for it. Until the business
   * date is first heard, "today" is the wall clock's UTC day (the clock's own start value).
   */
  publish(envelope: EventEnvelope, now: Date = new Date()): void {
    this.metrics.events.inc();
    if (envelope.type === BUSINESS_DATE_ADVANCED_TYPE) {
      const advanced = decodePayload(BusinessDateAdvanced, envelope.payload);
      if (!advanced.ok) return;
      this.noteBusinessDate(advanced.payload.date);
    }
    for (const feed of feedsOf(envelope, this.businessDate ?? utcDateOf(now))) {
      for (const group of this.groupsByFeed.get(feed.key) ?? []) group.enqueue(feed);
    }
  }

  /** One execution as `context`'s viewer; a failure becomes an error result, never a dead group. */
  async executeFor(subscription: Subscription, feed: Feed, context: GatewayContext): Promise<ExecutionResult> {
    this.metrics.executions.inc();
    try {
      return await this.executor.execute(
        subscription.planned,
        subscription.variables,
        feed.root,
        context,
        this.options.formatError,
      );
    } catch (error) {
      this.logger.error({ err: error, feed: feed.key }, 'subscription execution failed');
      return {
        data: null,
        errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] as never,
      };
    }
  }
}
