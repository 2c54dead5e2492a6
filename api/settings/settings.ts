import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';

/**
 * Every setting the API reads: one name each, a default for the local run, and a
 * line in the README's settings table. Options passed in win over the environment,
 * so tests and the bench build settings without touching process.env.
 */
/** The key the built-in backend simulator accepts; not a secret. */
export const SIMULATOR_API_KEY = 'local-simulator-key';

const optionalText = z
  .string()
  .transform((value) => value.trim())
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: optionalText,
  PUBLIC_URL: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MONGODB_URI: optionalText,
  MONGODB_DB: z.string().min(1).default('partner-portal'),
  SEED_DEMO_DATA: z.enum(['auto', 'true', 'false']).default('auto'),
  DEMO_PARTNER_TENANT_ID: z.string().min(1).default('00000000-0000-0000-0000-0000000000001'),
  ENTRA_CLIENT_ID: optionalText,
  ENTRA_APP_ID_URI: optionalText,
  ENTRA_JWKS_URL: z.string().url().default('https://login.microsoftonline.com/common/discovery/v2.0/keys'),
  TOKEN_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(600).default(60),
  PARTNER_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  DEFAULT_PHONE_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/, 'a two-letter ISO country code such as US')
    .refine((code) => isSupportedCountry(code), 'a country that has phone numbering (such as US, GB, DE)')
    .default('US'),
  MAX_NUMBERS_PER_REQUEST: z.coerce.number().int().min(1).max(100_000).default(10_000),
  BACKEND_URL: optionalText,
  BACKEND_API_KEY: z.string().min(1).default(SIMULATOR_API_KEY),
  BACKEND_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  BACKEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  BACKEND_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(5),
  BACKEND_BACKOFF_MS: z.coerce.number().int().min(0).max(60_000).default(200),
  BACKEND_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(1000),
  SIMULATOR_LATENCY_MS: z.coerce.number().int().min(0).max(10_000).default(0),
  BOT_ID: optionalText,
  BOT_PASSWORD: optionalText,
  BOT_TENANT_ID: optionalText,
  REMOVAL_CLEANUP: z.enum(['immediate', 'next-sync']).default('immediate'),
  SYNC_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  JOB_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  JOB_POLL_MS: z.coerce.number().int().min(20).max(600_000).default(1000),
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  JOB_BATCH_ROWS: z.coerce.number().int().min(1).max(100_000).default(5_000),
  SCHEDULER_POLL_MS: z.coerce.number().int().min(20).max(3_600_000).default(30_000),
  SCHEDULER_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  FOLLOW_UP_POLL_MS: z.coerce.number().int().min(20).max(600_000).default(1000),
  FOLLOW_UP_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  FOLLOW_UP_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  FOLLOW_UP_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(8),
  ALERT_REPEAT_HOURS: z.coerce.number().min(0).max(720).default(24),
  TEAMS_APP_ID: optionalText,
  ENTRA_CLIENT_SECRET: optionalText,
  ENTRA_AUTHORITY_URL: z.string().url().default('https://login.microsoftonline.com'),
  GRAPH_URL: z.string().url().default('https://graph.microsoft.com'),
  GRAPH_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(4),
  GRAPH_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  GRAPH_OPERATION_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  GRAPH_OPERATION_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  ACTIVATION_LINK_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  SIMULATOR_OPERATION_MS: z.coerce.number().int().min(0).max(600_000).default(1500),
});

export type Settings = z.infer<typeof settingsSchema> & {
  /** Local mode: no Entra app configured, so the dev sign-in exists. */
  readonly localMode: boolean;
  /** Token audiences the API accepts. */
  readonly audiences: string[];
};

export class SettingsError extends Error {}

export function loadSettings(
  overrides: Partial<Record<keyof z.infer<typeof settingsSchema>, string | number>> = {},
  env: NodeJS.ProcessEnv = process.env,
): Settings {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    raw[key] = key in overrides ? overrides[key as keyof typeof overrides] : env[key];
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new SettingsError(`Invalid settings:\n  ${lines.join('\n  ')}`);
  }
  const values = parsed.data;
  const localMode = values.ENTRA_CLIENT_ID === undefined;
  const audiences = localMode
    ? [LOCAL_AUDIENCE]
    : [values.ENTRA_CLIENT_ID, values.ENTRA_APP_ID_URI].filter((a): a is string => Boolean(a));
  return { ...values, localMode, audiences };
}

/** The Graph simulator's app registration (local mode); not secrets. */
export const SIMULATOR_ENTRA_APP = { clientId: 'local-graph-simulator-app', clientSecret: 'local-graph-simulator-secret' };

/** Audience of the tokens the dev sign-in issues. */
export const LOCAL_AUDIENCE = 'api://localhost/teams-partner-portal';
