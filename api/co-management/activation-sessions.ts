import type { Collection } from 'mongodb';
import type { CustomerDocument } from '../customers/customer-document';
import { AppError, ConflictError, NotFoundError, UnauthorizedError } from '../errors';
import type { ActivationLinkDocument, ActivationSessionDocument } from './activation-documents';
import { ACTIVATION_PAGE } from './activation-page';
import { hashOf, newToken } from './activation-tokens';
import type { CustomerAdmin } from './customer-admin';

const SESSION_SECONDS = 3600;

/**
 * One browser on the activation page, from opening it to switching
 * co-management: its service, the Microsoft round trip under way, the
 * administrator signed in, and the notice the page shows once.
 */
export class ActivationSessions {
  constructor(
    private readonly sessions: Collection<ActivationSessionDocument>,
    private readonly customers: Collection<CustomerDocument>,
  ) {}

  /** A new session, about the link's service if it came with one; the cookie's value is returned. */
  async open(link: ActivationLinkDocument | null): Promise<string> {
    const value = newToken(24);
    const now = new Date();
    await this.sessions.insertOne({
      _id: hashOf(value),
      ...(link ? { linkId: link._id, partnerId: link.partnerId, customerId: link.customerId } : {}),
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_SECONDS * 1000),
    });
    return value;
  }

  /** The page's session. The link only opens it: a session outlives the link being replaced. */
  async find(cookie: string | undefined): Promise<ActivationSessionDocument> {
    const session = cookie ? await this.sessions.findOne({ _id: hashOf(cookie) }) : null;
    if (!session || session.expiresAt.getTime() <= Date.now()) {
      throw new UnauthorizedError('activation_session_ended', 'Your session on this page has ended. Open the activation link again.');
    }
    return session;
  }

  /** The session is about this service from now on. */
  async pick(session: ActivationSessionDocument, customer: CustomerDocument): Promise<ActivationSessionDocument> {
    await this.sessions.updateOne({ _id: session._id }, { $set: { customerId: customer._id, partnerId: customer.partnerId } });
    return { ...session, customerId: customer._id, partnerId: customer.partnerId, notice: undefined } as ActivationSessionDocument;
  }

  /** The state and nonce of a sign-in round trip about to start. */
  async expectSignIn(session: ActivationSessionDocument): Promise<{ state: string; nonce: string }> {
    const state = newToken(16);
    const nonce = newToken(16);
    // A new sign-in replaces whoever was signed in, also when it fails.
    await this.sessions.updateOne({ _id: session._id }, { $set: { pending: { purpose: 'sign-in', state, nonce } }, $unset: { admin: '' } });
    return { state, nonce };
  }

  /** The state of an admin-consent round trip about to start. */
  async expectConsent(session: ActivationSessionDocument): Promise<string> {
    const state = newToken(16);
    await this.sessions.updateOne({ _id: session._id }, { $set: { pending: { purpose: 'consent', state, nonce: '' } } });
    return state;
  }

  /** The round trip's state, taken once: a replayed answer finds nothing to take. */
  async takePending(session: ActivationSessionDocument, purpose: 'sign-in' | 'consent', state: string | undefined) {
    const taken = state
      ? await this.sessions.findOneAndUpdate(
          { _id: session._id, 'pending.purpose': purpose, 'pending.state': state },
          { $unset: { pending: '' } },
          { returnDocument: 'before' },
        )
      : null;
    const pending = taken?.pending;
    if (!pending) {
      throw new AppError(400, 'activation_state_mismatch', 'This answer from Microsoft does not belong to your session. Start again from the activation link.');
    }
    return pending;
  }

  async signIn(session: ActivationSessionDocument, admin: CustomerAdmin & { roles: string[] }): Promise<void> {
    await this.sessions.updateOne({ _id: session._id }, { $set: { admin } });
  }

  /** The page showed the notice: it is not shown again. */
  async dropNotice(session: ActivationSessionDocument): Promise<void> {
    if (session.notice) await this.sessions.updateOne({ _id: session._id }, { $unset: { notice: '' } });
  }

  /** Back to the page, which shows the message once. */
  async notify(session: ActivationSessionDocument, kind: 'success' | 'error', message: string): Promise<string> {
    await this.sessions.updateOne({ _id: session._id }, { $set: { notice: { kind, message } } });
    return ACTIVATION_PAGE;
  }

  /** The service the session is about, or 409 when none was picked, 404 when it is gone. */
  async customerOf(session: ActivationSessionDocument): Promise<CustomerDocument> {
    if (!session.customerId || !session.partnerId) {
      throw new ConflictError('no_service_chosen', 'Pick the service first.');
    }
    const customer = await this.customers.findOne({ _id: session.customerId, partnerId: session.partnerId });
    if (!customer) throw new NotFoundError('This service no longer exists. Ask your provider.');
    return customer;
  }
}
