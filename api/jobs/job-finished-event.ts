import type { JobFinishedEvent } from '../events/portal-events';
import type { JobDocument } from './job-document';

/** A job that ended, as an event: what it was, how it ended, its counts. */
export function jobFinishedEvent(job: JobDocument): JobFinishedEvent {
  return {
    kind: 'job.finished',
    partnerId: job.partnerId,
    at: job.finishedAt ?? new Date(),
    jobId: job._id,
    jobKind: job.kind,
    state: job.state === 'failed' || job.state === 'cancelled' ? job.state : 'done',
    ...(job.customerId ? { customerId: job.customerId } : {}),
    ...(job.customerLabel ? { customerLabel: job.customerLabel } : {}),
    ...(job.fileName ? { fileName: job.fileName } : {}),
    total: job.total,
    outcomes: job.outcomes,
    ...(job.error ? { error: job.error } : {}),
  };
}
