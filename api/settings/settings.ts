import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';

/**
 * Every setting the API reads: one name each, a default for the local run, and a
 * line in the README's settings table. Options passed in win over the environment,
 * so tests and the bench build settings without touching process.env.
 */
/**
 * The Microsoft clients that ask Entra for a Teams SSO token on the user's
 * behalf: Teams (desktop, mobile, web), Microsoft 365 and Office (desktop,
 * web), Outlook (desktop, web, mobile). The same list as the Entra app's
 * preAuthorizedApplications in aad.manifest.json.
 */
export const TEAMS_AND_OFFICE_CLIENT_APPS = [
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
  '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
  'd3590ed6-52b3-4102-aeff-aad2292ab01c',
  '00000002-0000-0ff1-ce00-000000000000',
  'bc59ab01-8403-45c6-8796-ac3ef710b3e3',
  '0ec893e0-5785-4de6-99da-4ed124e5296c',
  '4765445b-32c6-49b0-83e6-1d93765276ca',
  '4345a7b9-9a63-4910-a426-35363201d503',
  '27922004-5251-4030-b22d-91ecd9a37ea4',
] as const;

/** BACKEND_URL's value that asks for the built-in simulator outside local mode (never chosen by omission there). */
export const BACKEND_SIMULATOR = 'simulator';

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
  ENTRA_CLIENT_APPS: z
    .string()
    .transform((value) => value.split(',').map((id) => id.trim()).filter((id) => id !== ''))
    .pipe(z.array(z.string().max(100)).min(1, 'at least one client app id (comma-separated)'))
    .default([...TEAMS_AND_OFFICE_CLIENT_APPS]),
  DEV_SIGN_IN: z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .transform((value) => (value === '' ? undefined : value))
    .pipe(z.enum(['true', 'false'], { error: 'true or false' }).optional())
    .optional(),
  TOKEN_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(600).default(60),
  PARTNER_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  CSV_PARSE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  DRY_RUN_ACCOUNT_CHECKS: z.coerce.number().int().min(0).max(100_000).default(1_000),
  DEFAULT_PHONE_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/, 'a two-letter ISO country code such as US')
    .refine((code) => isSupportedCountry(code), 'a country that has phone numbering (such as US, GB, DE)')
    .default('US'),
  MAX_NUMBERS_PER_REQUEST: z.coerce.number().int().min(1).max(100_000).default(10_000),
  BACKEND_URL: optionalText.refine(
    (value) => value === undefined || value === BACKEND_SIMULATOR || /^https?:\/\/[^/]/.test(value),
    `an http(s) URL such as https://crossbar.example.net:8443, or "${BACKEND_SIMULATOR}" for the built-in simulator`,
  ),
  BACKEND_API_KEY: optionalText.transform((value) => value ?? SIMULATOR_API_KEY),
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
  /**
   * Local mode: the dev sign-in exists (DEV_SIGN_IN, on by default only with
   * the embedded database and no Entra app). Only local mode may run without
   * the bot's credentials, a real backend or an https PUBLIC_URL, and only on
   * loopback (see serving-rules.ts).
   */
  readonly localMode: boolean;
  /** No MONGODB_URI: the app runs its own embedded, in-memory database. */
  readonly embeddedDatabase: boolean;
  /** BACKEND_API_KEY was given (not the simulator's default). */
  readonly backendApiKeyGiven: boolean;
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
  const embeddedDatabase = values.MONGODB_URI === undefined;
  // Never on by omission beside a database of record or an Entra app: MONGODB_URI alone turns it off.
  const localMode =
    values.DEV_SIGN_IN === undefined ? embeddedDatabase && values.ENTRA_CLIENT_ID === undefined : values.DEV_SIGN_IN === 'true';
  const audiences = localMode
    ? [LOCAL_AUDIENCE]
    : [values.ENTRA_CLIENT_ID, values.ENTRA_APP_ID_URI].filter((a): a is string => Boolean(a));
  const backendApiKeyGiven = typeof raw.BACKEND_API_KEY === 'string' ? raw.BACKEND_API_KEY.trim() !== '' : raw.BACKEND_API_KEY !== undefined;
  return { ...values, localMode, embeddedDatabase, backendApiKeyGiven, audiences };
}

/** The Graph simulator's app registration (local mode); not secrets. */
export const SIMULATOR_ENTRA_APP = { clientId: 'local-graph-simulator-app', clientSecret: 'local-graph-simulator-secret' };

/** Audience of the tokens the dev sign-in issues. */
export const LOCAL_AUDIENCE = 'api://localhost/teams-partner-portal';
