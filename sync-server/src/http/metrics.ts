import type { FastifyInstance } from 'fastify';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Histogram = { counts: number[]; sum: number; count: number };

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Prometheus text exposition of the server's own counters; gauges are read at scrape time. */
export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly latencies = new Map<string, Histogram>();
  private readonly streamLag: Histogram = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `method="${escapeLabel(method)}",route="${escapeLabel(route)}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const hkey = `method="${escapeLabel(method)}",route="${escapeLabel(route)}"`;
    let h = this.latencies.get(hkey);
    if (!h) {
      h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.latencies.set(hkey, h);
    }
    observe(h, seconds);
  }

  /** Time from a push's commit to this instance hearing of it (live propagation lag). */
  observeStreamLag(seconds: number): void {
    observe(this.streamLag, Math.max(0, seconds));
  }

  render(gauges: Readonly<Record<string, { help: string; value: number }>>): string {
    const lines: string[] = [];
    lines.push('# HELP sync_http_requests_total HTTP requests answered, by route and status.');
    lines.push('# TYPE sync_http_requests_total counter');
    for (const [labels, value] of this.requests) lines.push(`sync_http_requests_total{${labels}} ${value}`);
    lines.push('# HELP sync_http_request_duration_seconds Time to answer an HTTP request.');
    lines.push('# TYPE sync_http_request_duration_seconds histogram');
    for (const [labels, h] of this.latencies) renderHistogram(lines, 'sync_http_request_duration_seconds', labels, h);
    lines.push('# HELP sync_replication_notify_lag_seconds Time from a push commit to its change notification reaching this instance.');
    lines.push('# TYPE sync_replication_notify_lag_seconds histogram');
    renderHistogram(lines, 'sync_replication_notify_lag_seconds', '', this.streamLag);
    for (const [name, gauge] of Object.entries(gauges)) {
      lines.push(`# HELP ${name} ${gauge.help}`);
      lines.push(`# TYPE ${name} gauge`);
      lines.push(`${name} ${gauge.value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

function observe(h: Histogram, seconds: number): void {
  h.sum += seconds;
  h.count += 1;
  BUCKETS.forEach((bound, i) => {
    if (seconds <= bound) h.counts[i] = (h.counts[i] ?? 0) + 1;
  });
}

function renderHistogram(lines: string[], name: string, labels: string, h: Histogram): void {
  const sep = labels === '' ? '' : ',';
  BUCKETS.forEach((bound, i) => lines.push(`${name}_bucket{${labels}${sep}le="${bound}"} ${h.counts[i] ?? 0}`));
  lines.push(`${name}_bucket{${labels}${sep}le="+Inf"} ${h.count}`);
  const braces = labels === '' ? '' : `{${labels}}`;
  lines.push(`${name}_sum${braces} ${h.sum}`);
  lines.push(`${name}_count${braces} ${h.count}`);
}

export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
}
