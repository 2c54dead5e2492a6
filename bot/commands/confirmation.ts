import type { Attachment } from 'botbuilder';
import type { Caller } from '../../api/auth/caller';
import type { CustomerView } from '../../api/customers/customer-schemas';
import { expiredCard } from '../cards/card-pieces';
import type { Turn } from '../command-group';

/**
 * Cards that ask to confirm (removing numbers, assigning one): what the card
 * showed is kept on the server under the card's request id, per partner; the
 * first press of Confirm or Cancel decides, once, and a repeat shows what it did.
 */
export type RequestKind = 'removal' | 'assignment';

/** Keys carry the partner: one partner's card can never reach another's request. */
const requestKey = (caller: Caller, kind: RequestKind, requestId: string) => `${kind}-request:${caller.partnerId.toHexString()}:${requestId}`;
const decisionKey = (caller: Caller, kind: RequestKind, requestId: string) => `${kind}:${caller.partnerId.toHexString()}:${requestId}`;

/** Keeps what a confirm card shows, for its buttons to name by request id. */
export async function rememberRequest(turn: Turn, kind: RequestKind, request: { requestId: string }): Promise<void> {
  await turn.services.once.remember(requestKey(turn.caller, kind, request.requestId), request);
}

export interface PressAnswers<R> {
  /** Pressed before, and not decided yet. */
  busy(request: R): Attachment;
  cancelled(): Attachment;
  /** What a repeat shows: what the first Confirm did. */
  repeat(customer: CustomerView, earlier: unknown): Attachment | Promise<Attachment>;
}

/** The first Confirm: the request and its customer; `done` records the outcome, `undo` lets a later press try again. */
export interface Confirmed<R> {
  request: R;
  customer: CustomerView;
  done(outcome: unknown): Promise<void>;
  undo(): Promise<void>;
}

/** A press of Confirm or Cancel: the card that answers it, or, for the first Confirm, what to confirm. */
export async function press<R extends { customerId: string }>(
  turn: Turn,
  kind: RequestKind,
  data: Record<string, unknown>,
  cancel: boolean,
  answers: PressAnswers<R>,
): Promise<{ card: Attachment } | Confirmed<R>> {
  const { once, customers } = turn.services;
  const requestId = typeof data.requestId === 'string' ? data.requestId : '';
  // What the card showed is kept on the server: the card's own data only names it.
  const request = requestId ? ((await once.recall(requestKey(turn.caller, kind, requestId))) as R | undefined) : undefined;
  if (!request) return { card: expiredCard() };
  const customer = await customers.details(turn.caller, request.customerId);
  const key = decisionKey(turn.caller, kind, requestId);
  const claim = await once.claim(key);
  if (!claim.first) {
    // Confirmed twice, a replayed invoke, or Cancel after Confirm: the first answer stands.
    const earlier = claim.result as { cancelled?: unknown } | undefined;
    if (!earlier) return { card: answers.busy(request) };
    if (earlier.cancelled) return { card: answers.cancelled() };
    return { card: await answers.repeat(customer, earlier) };
  }
  if (cancel) {
    await once.complete(key, { cancelled: true });
    return { card: answers.cancelled() };
  }
  return { request, customer, done: (outcome) => once.complete(key, outcome), undo: () => once.release(key) };
}
