import type { ObjectId } from 'mongodb';
import type { BackendClient } from '../backend/backend-client';
import { BackendError, BackendNotFoundError, BackendUnavailableError } from '../backend/backend-errors';
import { AppError, ConflictError } from '../errors';
import type { PartnerRegistry } from '../partners/partner-registry';

/** What a check of many Account IDs found for one of them. */
export type AccountVerdict = 'ours' | 'not-ours';

/**
 * A customer's Account ID is an account under the partner's reseller account
 * on the carrier's backend (`GET /v2/accounts/{acct}/parents`), or the partner
 * may not use it: the backend's API key is the carrier's, so without this a
 * partner could read and change another partner's account. Checked on
 * create, on a change of the Account ID, on import, and before every sync
 * reads or writes the backend. An account under another reseller answers
 * exactly as one that does not exist.
 */
export class AccountOwnership {
  constructor(
    private readonly backend: Pick<BackendClient, 'getParents'>,
    private readonly partners: Pick<PartnerRegistry, 'backendAccountOf' | 'registeredResellers'>,
  ) {}

  /** Throws the refusal the partner sees (404 naming the field, 409 without a reseller account, 503 when the backend cannot tell). */
  async require(partnerId: ObjectId, accountId: string): Promise<void> {
    const verdicts = await this.verdicts(partnerId, [accountId]);
    if (verdicts.get(accountId) !== 'ours') throw notUnderReseller(accountId);
  }

  /**
   * Each distinct Account ID once (the backend client bounds the requests in
   * flight), then one read of which of their ancestors are partners'
   * reseller accounts. An account is the partner's when the nearest reseller
   * above it is the partner's: a reseller nested under another's keeps its
   * customers to itself, and a reseller account is no customer's.
   */
  async verdicts(partnerId: ObjectId, accountIds: readonly string[]): Promise<Map<string, AccountVerdict>> {
    const reseller = await this.resellerOf(partnerId);
    const distinct = [...new Set(accountIds)];
    const trees = await Promise.all(distinct.map((accountId) => this.parentsOf(accountId)));
    const resellers = await this.partners.registeredResellers([...distinct, ...trees.flatMap((parents) => parents ?? [])]);
    return new Map(
      distinct.map((accountId, index) => {
        const parents = trees[index];
        const nearest = parents?.filter((parent) => resellers.has(parent)).at(-1);
        return [accountId, parents && nearest === reseller && !resellers.has(accountId) ? 'ours' : 'not-ours'];
      }),
    );
  }

  private async resellerOf(partnerId: ObjectId): Promise<string> {
    const reseller = await this.partners.backendAccountOf(partnerId);
    if (!reseller) {
      throw new ConflictError(
        'reseller_account_missing',
        "Your organisation has no reseller account on the carrier's backend yet, so no Account ID can be checked: ask the carrier to register it",
      );
    }
    return reseller;
  }

  /** The account's ancestors from the top down, or null when the backend has no such account. */
  private async parentsOf(accountId: string): Promise<string[] | null> {
    try {
      return (await this.backend.getParents(accountId)).map((parent) => parent.id);
    } catch (error) {
      if (error instanceof BackendNotFoundError) return null;
      if (error instanceof BackendUnavailableError) {
        throw new AppError(503, 'backend_unavailable', `The carrier's backend could not be reached to check Account ID ${accountId}; nothing was changed. Try again in a moment.`);
      }
      if (error instanceof BackendError) {
        throw new AppError(502, 'backend_error', `The carrier's backend could not check Account ID ${accountId} (${error.message}); nothing was changed.`);
      }
      throw error;
    }
  }
}

/** The same words for an account that does not exist and one under another reseller: nothing about other partners leaks. */
export function notUnderReseller(accountId: string): AppError {
  return new AppError(404, 'account_not_found', `No account with Account ID ${accountId} was found under your reseller account on the carrier's backend`, [
    { field: 'accountId', message: "is not an account under your reseller account on the carrier's backend" },
  ]);
}

/** A row's message in an import, in the same words. */
export const NOT_UNDER_RESELLER_ROW = "Not an account under your reseller account on the carrier's backend";
