import { JOB_STATES } from '../../operations/queueInspector';
import { type ApiSection, dateTime, errors, json, nullable, object, ok, ref, secured } from './parts';

const pathParameter = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });

/** Operations: queue health for Prometheus, and the failed jobs admins inspect and retry. */
export const operationsApi: ApiSection = {
  schemas: {
    FailedJob: object({
      id: { type: 'string' },
      name: { type: 'string', description: "The job's name within its queue, e.g. send, check, route-conversation" },
      data: { type: 'object', description: 'What the job was asked to do (ids, never message bodies)' },
      failedReason: { type: 'string' },
      attemptsMade: { type: 'integer' },
      timestamp: { ...dateTime, description: 'When it was enqueued' },
      finishedOn: nullable('string', { format: 'date-time', description: 'When its last attempt ended' }),
    }),
    QueueHealth: object({
      name: { type: 'string', examples: ['email-out', 'classify', 'route', 'sla'] },
      counts: object(Object.fromEntries(JOB_STATES.map((state) => [state, { type: 'integer' }]))),
      failed: { type: 'array', items: ref('FailedJob'), description: 'The 20 newest failed jobs, newest first' },
    }),
  },
  paths: {
    '/metrics': {
      get: {
        summary:
          'Queue health in the Prometheus text format 0.0.4: hub_queue_jobs{queue,state}, the histograms hub_job_latency_seconds and ' +
          'hub_job_processing_seconds{queue}, process_resident_memory_bytes, process_uptime_seconds. ' +
          'When METRICS_TOKEN is set it needs "Authorization: Bearer <METRICS_TOKEN>" (401 otherwise)',
        responses: {
          200: { description: 'The metrics', content: { 'text/plain; version=0.0.4': { schema: { type: 'string' } } } },
          ...errors(401),
        },
      },
    },
    '/api/admin/queues': {
      get: {
        summary: "Every queue's job counts and newest failed jobs (admins only)",
        ...secured,
        responses: { ...ok('The queues', object({ queues: { type: 'array', items: ref('QueueHealth') } })), ...errors(401, 403) },
      },
    },
    '/api/admin/queues/{queue}/jobs/{jobId}/retry': {
      post: {
        summary: 'Put a failed job back in its queue with a fresh set of attempts (admins only)',
        ...secured,
        parameters: [pathParameter('queue', 'The queue name'), pathParameter('jobId', 'The failed job id')],
        responses: {
          202: { description: 'Queued again', content: json(object({ queue: { type: 'string' }, jobId: { type: 'string' }, status: { const: 'waiting' } })) },
          ...errors(401, 403, 404),
        },
      },
    },
  },
};
