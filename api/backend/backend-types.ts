/** The Kazoo Crossbar subset the portal uses (../shared/reference/backend-api.md). */
export interface BackendEnvelope<T> {
  data: T;
  status: 'success' | 'error' | 'fatal';
  error?: string;
  message?: string;
  request_id?: string;
  auth_token?: string;
  next_start_key?: string | null;
  page_size?: number;
}

export interface TeamsSettings {
  max_channels?: number;
  tenant_name?: string;
}

export interface BackendAccount {
  id: string;
  name: string;
  realm?: string;
  enabled?: boolean;
  teams?: TeamsSettings;
}

/** An ancestor of an account (`GET /v2/accounts/{acct}/parents`), from the top down to its direct parent. */
export interface BackendAccountRef {
  id: string;
  name?: string;
}

export interface BackendPhoneNumber {
  state: string;
  used_by?: string;
  created?: number;
  updated?: number;
}

export interface BackendCallflow {
  id: string;
  name?: string;
  numbers: string[];
  flow: { module: string; data: Record<string, unknown> };
}

export type NewCallflow = Omit<BackendCallflow, 'id'>;

export interface BackendUser {
  id: string;
  first_name?: string;
  last_name?: string;
  seat_type?: string;
}

/** Kazoo's validation error body: field -> validator -> message. */
export type ValidationErrors = Record<string, Record<string, { message?: string } | undefined> | undefined>;
