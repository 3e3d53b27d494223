import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Metrics } from '../metrics.js';

/** Every metric name starts with this, the default process and event-loop metrics included. */
export const METRIC_PREFIX = 'watchdesk_';

export interface OutboxGauges {
  /** Parts waiting to be sent. */
  pendingParts: number;
  /** Age of the oldest waiting part in seconds; 0 when none waits. */
  oldestPendingSeconds: number;
}

export interface MetricsRegistry extends Metrics {
  contentType: string;
  /** The Prometheus text exposition, with the outbox read at scrape time. */
  render(): Promise<string>;
}

/**
 * One registry per app (not prom-client's global one), so that tests and several apps in one
 * process never share counters. `outbox` is read on every scrape.
 */
export function createMetrics(opts: { outbox: () => Promise<OutboxGauges> | OutboxGauges }): MetricsRegistry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const m = instruments(registry);
  const outboxGauge = (name: string, help: string, read: (g: OutboxGauges) => number) =>
    new Gauge({
      name: `${METRIC_PREFIX}${name}`,
      help,
      registers: [registry],
      async collect() {
        this.set(read(await opts.outbox()));
      },
    });
  outboxGauge('outbox_pending_parts', 'Digest parts waiting to be sent', (g) => g.pendingParts);
  outboxGauge(
    'outbox_oldest_pending_age_seconds',
    'Age of the oldest digest part waiting to be sent (0 when none waits)',
    (g) => g.oldestPendingSeconds,
  );
  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    pollFinished(result, seconds) {
      m.polls.inc({ result });
      m.fetchSeconds.observe({ result }, seconds);
    },
    itemIngested(seconds, newStory) {
      m.items.inc();
      m.ingestSeconds.observe(seconds);
      if (newStory) m.stories.inc();
    },
    partFinished: (platform, outcome) => m.parts.inc({ platform, outcome }),
    digestFinished: (platform, outcome) => m.digests.inc({ platform, outcome }),
    commandFinished: (command, seconds) => m.commandSeconds.observe({ command }, seconds),
  };
}

function instruments(registry: Registry) {
  const registers = [registry];
  const name = (n: string) => `${METRIC_PREFIX}${n}`;
  return {
    polls: new Counter({ name: name('polls_total'), help: 'Feed polls by result', labelNames: ['result'], registers }),
    fetchSeconds: new Histogram({
      name: name('fetch_duration_seconds'),
      help: 'Time to fetch one feed, by result',
      labelNames: ['result'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30],
      registers,
    }),
    items: new Counter({ name: name('items_ingested_total'), help: 'New items stored', registers }),
    stories: new Counter({ name: name('stories_created_total'), help: 'New stories started by an item', registers }),
    ingestSeconds: new Histogram({
      name: name('ingest_duration_seconds'),
      help: 'Time to classify, cluster and summarize one new item',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
      registers,
    }),
    parts: new Counter({
      name: name('digest_parts_total'),
      help: 'Digest message parts by platform and outcome (delivered, failed and to be retried, dead)',
      labelNames: ['platform', 'outcome'],
      registers,
    }),
    digests: new Counter({
      name: name('digests_total'),
      help: 'Digests by platform and outcome (delivered, dead)',
      labelNames: ['platform', 'outcome'],
      registers,
    }),
    commandSeconds: new Histogram({
      name: name('command_duration_seconds'),
      help: 'Time to answer one chat command, by command',
      labelNames: ['command'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
  };
}
