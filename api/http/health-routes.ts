import { z } from 'zod';
import { AppError } from '../errors';
import { defineRoute } from './route-definition';

const healthView = z.object({ status: z.string() });

export function healthRoutes(pingDatabase: () => Promise<void>) {
  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      operationId: 'health',
      summary: 'The process is up',
      tag: 'health',
      role: 'public',
      response: { status: 200, description: 'Up', schema: healthView },
      handle: async () => ({ body: { status: 'ok' } }),
    }),
    defineRoute({
      method: 'get',
      path: '/readyz',
      operationId: 'ready',
      summary: 'MongoDB answers',
      tag: 'health',
      role: 'public',
      response: { status: 200, description: 'Ready', schema: healthView },
      errors: [503],
      handle: async () => {
        try {
          await pingDatabase();
        } catch {
          throw new AppError(503, 'database_unavailable', 'MongoDB does not answer');
        }
        return { body: { status: 'ready' } };
      },
    }),
  ];
}
