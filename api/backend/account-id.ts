import { z } from 'zod';

/**
 * An account id on the carrier's backend, as the carrier writes it (Kazoo's
 * are 32 hex characters; any short id of letters, digits and dashes is
 * accepted). A customer's Account ID and a partner's reseller account are both.
 */
export const backendAccountIdSchema = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, { error: `${label} is required`, abort: true })
    .max(64, `${label} is at most 64 characters`)
    .regex(
      /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
      `${label} may hold only letters, digits and dashes, and starts and ends with a letter or digit`,
    );
