import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's subscription figures, served at `/metrics` with the process's own. */
export interface SubscriptionMetrics {
  registry: Registry;
  events: Counter;
  executions: Counter;
  deliveries: Counter;
  dropped: Counter<'reason'>;
  subscribers: Gauge;
  topics: Gauge;
}

export function createSubscriptionMetrics(): SubscriptionMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'gateway' });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    events: new Counter({ name: 'wanxin_subscription_events_total', help: 'Events heard that feed subscriptions', registers }),
    executions: new Counter({ name: 'wanxin_subscription_executions_total', help: 'Executions: one per event per (document, variables, viewer) group', registers }),
    deliveries: new Counter({ name: 'wanxin_subscription_deliveries_total', help: 'Results handed to subscribers', registers }),
    dropped: new Counter({ name: 'wanxin_subscription_dropped_total', help: 'Events or clients dropped, by reason', labelNames: ['reason'], registers }),
    subscribers: new Gauge({ name: 'wanxin_subscription_subscribers', help: 'Active subscriptions', registers }),
    topics: new Gauge({ name: 'wanxin_subscription_groups', help: 'Distinct (document, variables, viewer) groups, one execution each per event', registers }),
  };
}
