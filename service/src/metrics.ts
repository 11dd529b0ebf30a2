import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics, one registry per running sidecar (so tests can start several). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cartback_' });
  return {
    registry,
    eventsApplied: new Counter({
      name: 'cartback_events_applied_total',
      help: 'Store events applied, by type (after commit)',
      labelNames: ['type'],
      registers: [registry],
    }),
    eventsDuplicate: new Counter({
      name: 'cartback_events_duplicate_total',
      help: 'Store events acknowledged but ignored because their id was seen before',
      registers: [registry],
    }),
    webhookItemsSkipped: new Counter({
      name: 'cartback_webhook_items_skipped_total',
      help: 'WhatsApp webhook items skipped because the database cannot hold them as they are, by kind and reason',
      labelNames: ['kind', 'reason'],
      registers: [registry],
    }),
    linkOpens: new Counter({
      name: 'cartback_link_opens_total',
      help: 'Opens of /r/:code links, by outcome: restore (a live link to a cart or an offer), pay (a live link to an order pay page) or gone (unknown or expired)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'cartback_rate_limited_total',
      help: 'Requests refused with 429 because their client went over its limit, by route',
      labelNames: ['route'],
      registers: [registry],
    }),
    messagesLost: new Counter({
      name: 'cartback_messages_lost_total',
      help: 'Sends whose answer was lost (unknown) that got no status within the reconcile window, marked lost by this process; never resent',
      registers: [registry],
    }),
    messagesUnknown: new Gauge({
      name: 'cartback_messages_unknown',
      help: 'Messages whose send answer was lost, waiting for a status webhook within the reconcile window (as of the last sweep)',
      registers: [registry],
    }),
    messagesLostNow: new Gauge({
      name: 'cartback_messages_lost',
      help: 'Messages lost now: no status came within the reconcile window and none since (as of the last sweep)',
      registers: [registry],
    }),
    monitorOptOutRate: new Gauge({
      name: 'cartback_monitor_opt_out_rate',
      help: "Opt-outs per send over the lane's last sends (as of the last monitors' pass)",
      labelNames: ['lane'],
      registers: [registry],
    }),
    monitorReadRate: new Gauge({
      name: 'cartback_monitor_read_rate',
      help: 'Read per delivered in the recent window, by lane (as of the last monitors pass)',
      labelNames: ['lane'],
      registers: [registry],
    }),
    monitorFailureRate: new Gauge({
      name: 'cartback_monitor_failure_rate',
      help: 'Failed per attempted in the last 24 hours, by lane (as of the last monitors pass)',
      labelNames: ['lane'],
      registers: [registry],
    }),
    monitorPaused: new Gauge({
      name: 'cartback_monitor_paused',
      help: 'Whether a monitor has paused the target (a lane, or all): 1 paused, 0 not',
      labelNames: ['target'],
      registers: [registry],
    }),
    monitorQualityLow: new Gauge({
      name: 'cartback_monitor_number_quality_low',
      help: "Whether the number's last quality webhook was FLAGGED, RED or DOWNGRADE (1) or not (0)",
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'cartback_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
