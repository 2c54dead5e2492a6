import { createHash } from 'node:crypto';
import type { DriftItem } from './drift-document';

/** Kind and number only: a reworded detail (a seat renamed) is not new drift. */
export function itemsHashOf(items: readonly DriftItem[]): string {
  const keys = items.map((item) => `${item.kind} ${item.e164}`).sort();
  return sha256(keys.join('\n'));
}

/** The Teams kinds of drift, which only a run that read Microsoft Teams can tell. */
export const TEAMS_DRIFT_KINDS: readonly DriftItem['kind'][] = ['assigned_not_synced', 'synced_not_assigned'];

/**
 * The hash of a drift from its backend part and its Teams part, so a run that
 * could not read Teams keeps the Teams part of the run before (a Graph outage
 * is not a change of drift, and does not alert again when Teams is read again).
 */
export function driftHashOf(backendHash: string, teamsHash: string): string {
  return sha256(`backend:${backendHash}\nteams:${teamsHash}`);
}

/**
 * Whether syncs are failing is part of the state, how many in a row is not:
 * one more failure of an already failing customer is the same situation.
 */
export function fingerprintOf(itemsHash: string, consecutiveFailures: number): string {
  return sha256(`${itemsHash}\nfailing:${consecutiveFailures > 0}`).slice(0, 32);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
