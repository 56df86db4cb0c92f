import { BUCKET_BOUNDS } from '../../../server/operations/jobTimings';
import { renderMetrics } from '../../../server/operations/prometheus';

const empty = { buckets: Array(BUCKET_BOUNDS.length + 1).fill(0), sum: 0, count: 0 };

describe('renderMetrics', () => {
  const text = renderMetrics({
    counts: { sla: { waiting: 1, active: 0, delayed: 7, failed: 2, completed: 40 } },
    timings: {
      sla: {
        latency: { buckets: [0, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4], sum: 75.5, count: 4 },
        processing: empty,
      },
    },
    residentMemoryBytes: 123456,
    uptimeSeconds: 12.5,
  });
  const lines = text.split('\n');

  it('writes one sample per queue and state, under HELP and TYPE lines', () => {
    expect(lines).toEqual(expect.arrayContaining(['# TYPE hub_queue_jobs gauge', 'hub_queue_jobs{queue="sla",state="delayed"} 7', 'hub_queue_jobs{queue="sla",state="failed"} 2']));
    expect(lines.filter((line) => line.startsWith('hub_queue_jobs{'))).toHaveLength(5);
  });

  it('writes histograms with cumulative buckets ending in +Inf, a sum and a count', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        '# TYPE hub_job_latency_seconds histogram',
        'hub_job_latency_seconds_bucket{queue="sla",le="0.005"} 0',
        'hub_job_latency_seconds_bucket{queue="sla",le="0.01"} 1',
        'hub_job_latency_seconds_bucket{queue="sla",le="60"} 3',
        'hub_job_latency_seconds_bucket{queue="sla",le="+Inf"} 4',
        'hub_job_latency_seconds_sum{queue="sla"} 75.5',
        'hub_job_latency_seconds_count{queue="sla"} 4',
        '# TYPE hub_job_processing_seconds histogram',
        'hub_job_processing_seconds_count{queue="sla"} 0',
      ]),
    );
  });

  it('adds the process memory and uptime, and ends with a newline', () => {
    expect(lines).toEqual(expect.arrayContaining(['process_resident_memory_bytes 123456', 'process_uptime_seconds 12.5']));
    expect(text.endsWith('\n')).toBe(true);
    expect(lines.filter((line) => line !== '' && !line.startsWith('#')).every((line) => /^[a-z_]+(\{[^}]*\})? \S+$/.test(line))).toBe(true);
  });
});
