import type { Attachment } from 'botbuilder';
import type { AlertNotice } from '../../api/alerts/alert-notice';
import { ALERT_EVENT_NAMES } from '../../api/alerts/alert-events';
import type { AlertSubscriptionView } from '../../api/alerts/alert-subscriptions';
import { DRIFT_KIND_ORDER, DRIFT_TEXT } from '../../api/drift/drift-texts';
import { FAILURES_COUNTED } from '../../api/sync/failure-streak';
import { adaptiveCard, facts, heading, paragraph } from './adaptive-card';
import { executeAction, resultCard } from './card-pieces';
import { jobKindText, outcomeSummary } from './job-cards';

/** The verb of an alert's "Sync now". */
export const ALERT_SYNC_VERB = 'alertSync';

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
// The streak is counted up to FAILURES_COUNTED: past it, "or more".
const inARow = (n: number) => `${plural(n, 'failed sync')}${n >= FAILURES_COUNTED ? ' or more' : ''} in a row.`;

/** Who pressed the card's Sync now, when, and why it did not sync if it did not. */
export interface AlertSyncPressed {
  by: string;
  at: string;
  refused?: string;
}

/** The card an alert posts: what happened to which customer, and buttons to look or to sync again. */
export function alertCard(notice: AlertNotice, pressed?: AlertSyncPressed): Attachment {
  return adaptiveCard(
    [
      heading(titleOf(notice)),
      ...bodyOf(notice),
      paragraph(whenText(notice.at), { isSubtle: true }),
      ...(pressed ? [pressedLine(pressed)] : []),
    ],
    actionsOf(notice),
  );
}

/** When it happened, in the reader's locale and time zone (Adaptive Card DATE/TIME). */
function whenText(iso: string): string {
  const at = iso.replace(/\.\d+Z$/, 'Z');
  return `{{DATE(${at}, SHORT)}} {{TIME(${at})}}`;
}

function pressedLine({ by, at, refused }: AlertSyncPressed): unknown {
  const said = `Sync now pressed by ${by}, ${whenText(at)}`;
  return refused ? paragraph(`${said}: ${refused}`, { color: 'Attention' }) : paragraph(`${said}: the answer follows.`, { weight: 'Bolder' });
}

function titleOf(notice: AlertNotice): string {
  switch (notice.kind) {
    case 'drift.found':
      return `Drift at ${notice.customerLabel}: ${plural(notice.total, 'number')}`;
    case 'sync.failed':
      return `Sync of ${notice.customerLabel} failed`;
    case 'job.finished': {
      const what = jobKindText({ kind: notice.jobKind, fileName: notice.fileName ?? null });
      return `${what}${notice.customerLabel ? ` for ${notice.customerLabel}` : ''}: ${notice.state}`;
    }
  }
}

function bodyOf(notice: AlertNotice): unknown[] {
  switch (notice.kind) {
    case 'drift.found':
      return [
        facts(
          DRIFT_KIND_ORDER.filter((kind) => (notice.counts[kind] ?? 0) > 0)
            .map((kind) => [DRIFT_TEXT[kind], String(notice.counts[kind])]),
        ),
        notice.examples.length > 0 && paragraph('For example:', { weight: 'Bolder' }),
        notice.examples.length > 0 && facts(notice.examples.map((example) => [example.e164, DRIFT_TEXT[example.kind]])),
      ].filter(Boolean);
    case 'sync.failed':
      return [paragraph(notice.message, { color: 'Attention' }), paragraph(inARow(notice.consecutiveFailures))];
    case 'job.finished':
      return [
        facts([
          ['Rows', notice.total.toLocaleString('en-US')],
          ['Outcomes', outcomeSummary({ kind: notice.jobKind, outcomes: notice.outcomes })],
        ]),
        notice.error !== undefined && paragraph(notice.error, { color: 'Attention' }),
      ].filter(Boolean);
  }
}

function actionsOf(notice: AlertNotice): unknown[] {
  const customer = notice.customerId && notice.customerLabel ? { customerId: notice.customerId, customerLabel: notice.customerLabel } : undefined;
  return [
    ...(notice.portalLink ? [{ type: 'Action.OpenUrl', title: 'Open in the portal', url: notice.portalLink }] : []),
    // The notice rides along, so the card can be shown again as it was once Sync now is pressed.
    ...(customer ? [executeAction('Sync now', ALERT_SYNC_VERB, { ...customer, notice })] : []),
  ];
}

/** Where the conversation is, as the answers name it. */
export const PLACE_TEXT: Record<AlertSubscriptionView['conversationType'], string> = {
  personal: 'this chat',
  groupChat: 'this group chat',
  channel: 'this channel',
};

/** The events in words: "drift, failed syncs and finished jobs". */
export function eventsText(events: readonly AlertSubscriptionView['events'][number][]): string {
  const names = events.map((kind) => ALERT_EVENT_NAMES[kind]);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : (names[0] ?? 'nothing');
}

/** What a conversation is told of: the events, who subscribed it and when. */
export function subscriptionCard(subscription: AlertSubscriptionView, title: string): Attachment {
  const by = subscription.subscribedBy.name ?? subscription.subscribedBy.oid;
  return resultCard(
    title,
    facts([
      ['Events', eventsText(subscription.events)],
      ['Subscribed by', by],
    ]),
    // DATE() and TIME() are formatted in a TextBlock only, not in a FactSet's values.
    paragraph(`Since ${whenText(subscription.subscribedAt)}`),
    paragraph(`I post a card in ${PLACE_TEXT[subscription.conversationType]} for each: say "alerts off" to stop.`, { isSubtle: true }),
  );
}
