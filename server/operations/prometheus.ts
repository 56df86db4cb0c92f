import { BUCKET_BOUNDS, type Histogram, TIMINGS, type Timing } from './jobTimings';
import { JOB_STATES, type JobState } from './queueInspector';

/** The Content-Type of the Prometheus text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricsSnapshot = {
  counts: Record<string, Record<JobState, number>>;
  timings: Record<string, Record<Timing, Histogram>>;
  residentMemoryBytes: number;
  uptimeSeconds: number;
};

const HISTOGRAMS: Record<Timing, { name: string; help: string }> = {
  latency: { name: 'hub_job_latency_seconds', help: 'Time from a job being due (enqueued, or its delay over) to its completion.' },
  processing: { name: 'hub_job_processing_seconds', help: 'Time a completed job took to run.' },
};

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (pairs: Record<string, string>) =>
  `{${Object.entries(pairs)
    .map(([name, value]) => `${name}="${escapeLabel(value)}"`)
    .join(',')}}`;

function family(name: string, type: 'gauge' | 'histogram', help: string, samples: string[]): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples];
}

/** The snapshot in the Prometheus text format 0.0.4. */
export function renderMetrics(snapshot: MetricsSnapshot): string {
  const queues = Object.keys(snapshot.counts);
  const lines = [
    ...family(
      'hub_queue_jobs',
      'gauge',
      'Jobs in each queue by state.',
      queues.flatMap((queue) => JOB_STATES.map((state) => `hub_queue_jobs${labels({ queue, state })} ${snapshot.counts[queue]![state]}`)),
    ),
    ...TIMINGS.flatMap((timing) => {
      const { name, help } = HISTOGRAMS[timing];
      return family(
        name,
        'histogram',
        help,
        Object.entries(snapshot.timings).flatMap(([queue, histograms]) => {
          const histogram = histograms[timing];
          const bounds = [...BUCKET_BOUNDS.map(String), '+Inf'];
          return [
            ...bounds.map((le, index) => `${name}_bucket${labels({ queue, le })} ${histogram.buckets[index]}`),
            `${name}_sum${labels({ queue })} ${histogram.sum}`,
            `${name}_count${labels({ queue })} ${histogram.count}`,
          ];
        }),
      );
    }),
    ...family('process_resident_memory_bytes', 'gauge', 'Resident memory of the server process, in bytes.', [
      `process_resident_memory_bytes ${snapshot.residentMemoryBytes}`,
    ]),
    ...family('process_uptime_seconds', 'gauge', 'How long the server process has run.', [`process_uptime_seconds ${snapshot.uptimeSeconds}`]),
  ];
  return `${lines.join('\n')}\n`;
}
