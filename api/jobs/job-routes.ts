import { defineRoute } from '../http/route-definition';
import type { JobQueue } from './job-queue';
import { jobListQuery, jobPageView, jobParams, jobRowPageView, jobRowsExportQuery, jobRowsQuery, jobView } from './job-schemas';

export function jobRoutes(jobs: JobQueue) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/jobs',
      operationId: 'listJobs',
      summary: "The partner's jobs (imports, large pastes), newest first",
      tag: 'jobs',
      role: 'viewer',
      query: jobListQuery,
      response: { status: 200, description: 'A page of jobs', schema: jobPageView },
      handle: async ({ caller, query }) => ({ body: await jobs.list(caller, query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/jobs/{id}',
      operationId: 'getJob',
      summary: 'A job: its state, done and total rows, and the rows by outcome',
      tag: 'jobs',
      role: 'viewer',
      params: jobParams,
      response: { status: 200, description: 'The job', schema: jobView },
      errors: [404],
      handle: async ({ caller, params }) => ({ body: await jobs.get(caller, params.id) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/jobs/{id}/rows',
      operationId: 'listJobRows',
      summary: "A job's rows with their outcome and message, in row order (outcome= keeps one outcome, failed=true the rows that did not go as asked)",
      tag: 'jobs',
      role: 'viewer',
      params: jobParams,
      query: jobRowsQuery,
      response: { status: 200, description: 'A page of rows', schema: jobRowPageView },
      errors: [404],
      handle: async ({ caller, params, query }) => ({ body: await jobs.rows(caller, params.id, query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/jobs/{id}/rows/export',
      operationId: 'exportJobRows',
      summary: "A job's failed rows (or those of one outcome, outcome=) as a CSV file: input, outcome, message, line, row",
      tag: 'jobs',
      role: 'viewer',
      params: jobParams,
      query: jobRowsExportQuery,
      downloads: 'text/csv',
      response: { status: 200, description: 'The rows as CSV (Content-Disposition: attachment)' },
      errors: [404],
      handle: async ({ caller, params, query }) => {
        const file = await jobs.exportRows(caller, params.id, query);
        return { download: { contentType: 'text/csv; charset=utf-8', ...file } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/jobs/{id}/cancel',
      operationId: 'cancelJob',
      summary: 'Stop a job between batches: what was done stays done and is reported',
      tag: 'jobs',
      role: 'operator',
      params: jobParams,
      response: { status: 200, description: 'The job, cancelled or stopping after the batch under way', schema: jobView },
      errors: [404, 409],
      handle: async ({ caller, params }) => ({ body: await jobs.cancel(caller, params.id) }),
    }),
  ];
}
