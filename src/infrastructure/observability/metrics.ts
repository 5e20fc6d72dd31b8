/**
 * A small Prometheus registry. It lives at module scope on purpose: counters accumulate for the
 * isolate's lifetime, which is what a scrape of this isolate should see.
 */
type Labels = Record<string, string>;

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  labels: Labels;
  value: number;
}

interface HistogramSeries {
  labels: Labels;
  counts: number[];
  sum: number;
  count: number;
}

const labelKey = (labels: Labels) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(",");

const escapeLabel = (value: string) =>
  value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

const formatLabels = (labels: Labels, extra: Labels = {}) => {
  const all = { ...labels, ...extra };
  const parts = Object.keys(all).map((k) => `${k}="${escapeLabel(all[k] ?? "")}"`);
  return parts.length > 0 ? `{${parts.join(",")}}` : "";
};

export class Metrics {
  readonly #counters = new Map<string, { help: string; series: Map<string, Series> }>();
  readonly #gauges = new Map<string, { help: string; series: Map<string, Series> }>();
  readonly #histograms = new Map<
    string,
    { help: string; buckets: number[]; series: Map<string, HistogramSeries> }
  >();

  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    const metric = this.#counters.get(name) ?? { help, series: new Map() };
    this.#counters.set(name, metric);
    const key = labelKey(labels);
    const series = metric.series.get(key) ?? { labels, value: 0 };
    series.value += by;
    metric.series.set(key, series);
  }

  set(name: string, help: string, labels: Labels, value: number): void {
    const metric = this.#gauges.get(name) ?? { help, series: new Map() };
    this.#gauges.set(name, metric);
    metric.series.set(labelKey(labels), { labels, value });
  }

  observe(name: string, help: string, labels: Labels, value: number): void {
    const metric = this.#histograms.get(name) ?? {
      help,
      buckets: DEFAULT_BUCKETS,
      series: new Map(),
    };
    this.#histograms.set(name, metric);
    const key = labelKey(labels);
    const series = metric.series.get(key) ?? {
      labels,
      counts: metric.buckets.map(() => 0),
      sum: 0,
      count: 0,
    };
    metric.buckets.forEach((bound, i) => {
      if (value <= bound) {
        series.counts[i] = (series.counts[i] ?? 0) + 1;
      }
    });
    series.sum += value;
    series.count += 1;
    metric.series.set(key, series);
  }

  /** Prometheus text exposition format 0.0.4. */
  render(): string {
    const lines: string[] = [];
    for (const [name, metric] of this.#counters) {
      lines.push(`# HELP ${name} ${metric.help}`, `# TYPE ${name} counter`);
      for (const s of metric.series.values()) {
        lines.push(`${name}${formatLabels(s.labels)} ${s.value}`);
      }
    }
    for (const [name, metric] of this.#gauges) {
      lines.push(`# HELP ${name} ${metric.help}`, `# TYPE ${name} gauge`);
      for (const s of metric.series.values()) {
        lines.push(`${name}${formatLabels(s.labels)} ${s.value}`);
      }
    }
    for (const [name, metric] of this.#histograms) {
      lines.push(`# HELP ${name} ${metric.help}`, `# TYPE ${name} histogram`);
      for (const s of metric.series.values()) {
        metric.buckets.forEach((bound, i) => {
          lines.push(
            `${name}_bucket${formatLabels(s.labels, { le: String(bound) })} ${s.counts[i]}`,
          );
        });
        lines.push(`${name}_bucket${formatLabels(s.labels, { le: "+Inf" })} ${s.count}`);
        lines.push(`${name}_sum${formatLabels(s.labels)} ${s.sum}`);
        lines.push(`${name}_count${formatLabels(s.labels)} ${s.count}`);
      }
    }
    return `${lines.join("\n")}\n`;
  }
}

export const metrics = new Metrics();
