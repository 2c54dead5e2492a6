import { z } from 'zod';
import { customerIdParams } from '../customers/customer-schemas';
import { jobView } from '../jobs/job-schemas';
import { defineRoute } from '../http/route-definition';
import { numberHistoryParams, numberHistoryView, type NumberHistory } from './number-history';
import type { NumberService } from './number-service';
import type { NumberImport } from './number-import';
import type { SyncTriggers } from '../sync/sync-triggers';
import { syncStartView } from '../sync/sync-schemas';
import { CSV_LIMITS } from '../csv/csv-file';
import { importPreviewView, importQuery, importStartedView } from '../imports/import-answers';
import {
  addNumbersBody,
  addNumbersView,
  numberExportQuery,
  numberListQuery,
  numberPageView,
  removeNumbersBody,
  removeNumbersView,
} from './number-schemas';

export function numberRoutes(numbers: NumberService, history: NumberHistory, triggers: SyncTriggers, imports: NumberImport) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/customers/{id}/numbers/{e164}/history',
      operationId: 'numberHistory',
      summary: 'The statuses a number had, newest first, with the sync run that gave each',
      tag: 'numbers',
      role: 'viewer',
      params: numberHistoryParams,
      response: { status: 200, description: 'The history', schema: numberHistoryView },
      errors: [404],
      handle: async ({ caller, params }) => ({ body: await history.list(caller, params.id, params.e164) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/customers/{id}/numbers',
      operationId: 'listNumbers',
      summary: "A customer's phone numbers with their status text",
      tag: 'numbers',
      role: 'viewer',
      params: customerIdParams,
      query: numberListQuery,
      response: { status: 200, description: 'A page of numbers', schema: numberPageView },
      errors: [404],
      handle: async ({ caller, params, query }) => ({ body: await numbers.list(caller, params.id, query) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/customers/{id}/numbers',
      operationId: 'addNumbers',
      summary:
        'Add numbers as pasted (new lines, commas, semicolons or spaces between them); more than 1,000 are added by a job (202)',
      tag: 'numbers',
      role: 'operator',
      params: customerIdParams,
      body: addNumbersBody,
      response: { status: 200, description: 'The outcome of every number and rejected piece', schema: addNumbersView },
      alsoResponds: [
        {
          status: 202,
          description: 'More than 1,000 numbers: the job adding them (Location: the job); its rows hold the outcomes',
          schema: z.object({ job: jobView }),
        },
      ],
      errors: [404],
      handle: async ({ caller, params, body }) => {
        const answer = await numbers.addOrStart(caller, params.id, body.numbers);
        if (answer.job) return { status: 202, body: { job: answer.job }, location: `/api/v1/jobs/${answer.job.id}` };
        return { body: answer.done };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/customers/{id}/numbers/import',
      operationId: 'importNumbers',
      summary:
        'Add the numbers of a CSV file (a header row; the column number, e164, phone, phone number or did, any case); dryRun=true answers what it would do and writes nothing',
      tag: 'numbers',
      role: 'operator',
      params: customerIdParams,
      query: importQuery,
      upload: {
        description: `A CSV file of at most 10 MB and ${CSV_LIMITS.maxRows.toLocaleString('en-US')} rows: as the body (text/csv) or the multipart field "file"`,
        maxBytes: CSV_LIMITS.maxBytes,
      },
      response: {
        status: 202,
        description: 'The job adding the rows (Location: the job); its rows hold each outcome',
        schema: importStartedView,
      },
      alsoResponds: [
        { status: 200, description: 'dryRun=true: the outcome counts and the first failing rows; nothing written', schema: importPreviewView },
      ],
      errors: [404],
      handle: async ({ caller, params, query, file }) => {
        if (query.dryRun) return { status: 200, body: await imports.preview(caller, params.id, file) };
        const started = await imports.start(caller, params.id, file);
        return { status: 202, body: started, location: `/api/v1/jobs/${started.job.id}` };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/customers/{id}/numbers/export',
      operationId: 'exportNumbers',
      summary: "The customer's numbers (status= keeps one status) as a CSV file: number, status, status text, added at, added by, last synced",
      tag: 'numbers',
      role: 'viewer',
      params: customerIdParams,
      query: numberExportQuery,
      downloads: 'text/csv',
      response: { status: 200, description: 'The numbers as CSV (Content-Disposition: attachment), streamed' },
      errors: [404],
      handle: async ({ caller, params, query }) => ({
        download: { contentType: 'text/csv; charset=utf-8', ...(await numbers.exportCsv(caller, params.id, query.status)) },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/customers/{id}/numbers/remove',
      operationId: 'removeNumbers',
      summary:
        'Remove numbers from the customer at once (more than 1,000 by a job, 202); a sync starts to clean them up in the backend (mode: delete releases them from the account, retain keeps them there)',
      tag: 'numbers',
      role: 'operator',
      params: customerIdParams,
      body: removeNumbersBody,
      response: {
        status: 200,
        description: 'The outcome of every number, and the sync run doing the backend clean-up (null when nothing was removed)',
        schema: removeNumbersView.extend({ syncRun: syncStartView.nullable() }),
      },
      alsoResponds: [
        {
          status: 202,
          description: 'More than 1,000 numbers: the job removing them (Location: the job); the clean-up sync starts when it ends',
          schema: z.object({ job: jobView }),
        },
      ],
      errors: [404],
      handle: async ({ caller, params, body }) => {
        const answer = await triggers.removeOrStart(caller, params.id, body.numbers, body.mode);
        if (answer.job) return { status: 202, body: { job: answer.job }, location: `/api/v1/jobs/${answer.job.id}` };
        return { body: answer.done };
      },
    }),
  ];
}
