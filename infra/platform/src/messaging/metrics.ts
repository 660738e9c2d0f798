import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { forkEntityManager, type Database } from '../db';
import { selectRows } from '../raw-sql';

/** The event counters of one service; `/metrics` serves them with the outbox gauges. */
export interface MessagingMetrics {
  registry: Registry;
  published: Counter;
  consumed: Counter<'type'>;
  duplicates: Counter<'type'>;
  dead: Counter<'stage'>;
  /** Consumer transactions that handled several deliveries: committed together, or split one by one. */
  batches: Counter<'outcome'>;
}

/** One registry per service, so the five subgraphs of the all-in-one process do not collide. */
export function createMessagingMetrics(subgraph: string, orm: Database | undefined): MessagingMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: subgraph });
  collectDefaultMetrics({ register: registry });
  const metrics: MessagingMetrics = {
    registry,
    published: new Counter({
      name: 'wanxin_events_published_total',
      help: 'Outbox rows confirmed by the broker',
      registers: [registry],
    }),
    consumed: new Counter({
      name: 'wanxin_events_consumed_total',
      help: 'Events handled (effect committed)',
      labelNames: ['type'],
      registers: [registry],
    }),
    duplicates: new Counter({
      name: 'wanxin_events_duplicates_skipped_total',
      help: 'Deliveries already in the inbox, acked without effect',
      labelNames: ['type'],
      registers: [registry],
    }),
    dead: new Counter({
      name: 'wanxin_events_dead_total',
      help: 'Outbox rows given up (stage=outbox) or deliveries dead-lettered (stage=consumer)',
      labelNames: ['stage'],
      registers: [registry],
    }),
    batches: new Counter({
      name: 'wanxin_events_consumer_batches_total',
      help: 'Consumer transactions of several deliveries: committed, or split (a failure: handled one by one)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
  if (orm !== undefined) registerOutboxGauges(registry, orm);
  return metrics;
}

function registerOutboxGauges(registry: Registry, orm: Database): void {
  const count = async (status: string) => {
    const em = forkEntityManager(orm);
    const [row] = await selectRows<{ count: number; oldest: string | Date | number | null }>(
      em,
      'select count(*) as count, min(occurred_at) as oldest from outbox where status = ?',
      [status],
    );
    return row;
  };
  new Gauge({
    name: 'wanxin_outbox_pending',
    help: 'Outbox rows not yet confirmed by the broker',
    registers: [registry],
    async collect() {
      this.set(Number((await count('PENDING')).count));
    },
  });
  new Gauge({
    name: 'wanxin_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest unpublished outbox row (0 when none)',
    registers: [registry],
    async collect() {
      const { oldest } = await count('PENDING');
      this.set(oldest === null ? 0 : Math.max(0, (Date.now() - new Date(oldest).getTime()) / 1000));
    },
  });
  new Gauge({
    name: 'wanxin_outbox_dead',
    help: 'Outbox rows given up after the maximum attempts (replay with npm run events)',
    registers: [registry],
    async collect() {
      this.set(Number((await count('DEAD')).count));
    },
  });
}
