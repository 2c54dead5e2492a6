import { z } from 'zod';
import { customerIdParams } from '../customers/customer-schemas';
import { jobView } from '../jobs/job-schemas';
import { defineRoute } from '../http/route-definition';
import { numberHistoryParams, numberHistoryView, type NumberHistory } from './number-history';
import type { NumberService } from './number-service';
import type { SyncTriggers } from '../sync/sync-triggers';
import { syncStartView } from '../sync/sync-schemas';
import {
  addNumbersBody,
  addNumbersView,
  numberListQuery,
  numberPageView,
  removeNumbersBody,
  removeNumbersView,
} from './number-schemas';

export function numberRoutes(numbers: NumberService, history: NumberHistory, triggers: SyncTriggers) {
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
      path: '/api/v1/customers/{id}/numbers/remove',
      operationId: 'removeNumbers',
      summary:
        'Remove numbers from the customer at once; a sync starts to clean them up in the backend (mode: delete releases them from the account, retain keeps them there)',
      tag: 'numbers',
      role: 'operator',
      params: customerIdParams,
      body: removeNumbersBody,
      response: {
        status: 200,
        description: 'The outcome of every number, and the sync run doing the backend clean-up (null when nothing was removed)',
        schema: removeNumbersView.extend({ syncRun: syncStartView.nullable() }),
      },
      errors: [404],
      handle: async ({ caller, params, body }) => ({
        body: await triggers.removeNumbers(caller, params.id, body.numbers, body.mode),
      }),
    }),
  ];
}
