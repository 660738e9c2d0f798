import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's subscription figures, served at `/metrics` with the process's own. */
export interface SubscriptionMetrics {
  registry: Registry;
  events: Counter;
  executions: Counter;
  deliveries: Counter;
  dropped: Counter<'reason'>;
  subscribers: Gauge;
  topics: Gauge;
  /** One group's execution for one event (primary answered from the event, the rest from subgraphs). */
  executionSeconds: Histogram;
  /** Writing one result to every member of a group. */
  fanOutSeconds: Histogram;
}

const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export function createSubscriptionMetrics(): SubscriptionMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'gateway' });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    events: new Counter({
      name: 'wanxin_subscription_events_total',
      help: 'Events heard that feed subscriptions',
      registers,
    }),
    executions: new Counter({
      name: 'wanxin_subscription_executions_total',
      help: 'Executions: one per event per (document, variables, viewer) group',
      registers,
    }),
    deliveries: new Counter({
      name: 'wanxin_subscription_deliveries_total',
      help: 'Results handed to subscribers',
      registers,
    }),
    dropped: new Counter({
      name: 'wanxin_subscription_dropped_total',
      help: 'Events or clients dropped, by reason',
      labelNames: ['reason'],
      registers,
    }),
    subscribers: new Gauge({ name: 'wanxin_subscription_subscribers', help: 'Active subscriptions', registers }),
    topics: new Gauge({
      name: 'wanxin_subscription_groups',
      help: 'Distinct (document, variables, viewer) groups, one execution each per event',
      registers,
    }),
    executionSeconds: new Histogram({
      name: 'wanxin_subscription_execution_seconds',
      help: 'One group execution for one event',
      buckets: SECONDS_BUCKETS,
      registers,
    }),
    fanOutSeconds: new Histogram({
      name: 'wanxin_subscription_fan_out_seconds',
      help: 'Writing one result to every member of its group',
      buckets: SECONDS_BUCKETS,
      registers,
    }),
  };
}
