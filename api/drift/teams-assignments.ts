import type { TeamsDirectory } from '../co-management/teams-directory';
import type { CustomerDocument } from '../customers/customer-document';
import { messageOf } from '../sync/error-message';
import type { TeamsAssignments } from './drift-calculator';

/**
 * The customer's Direct Routing numbers as Microsoft holds them, when the
 * customer allows co-management and the portal can reach Microsoft. Never
 * throws: a Graph failure is the reason the Teams side was not compared.
 */
export class TeamsAssignmentReader {
  constructor(private readonly directory: TeamsDirectory | undefined) {}

  async read(customer: CustomerDocument): Promise<TeamsAssignments> {
    if (!customer.canManage || !customer.customerTenantId) {
      return { checked: false, reason: 'The customer has not allowed co-management: Teams assignments were not compared' };
    }
    if (!this.directory) {
      return { checked: false, reason: 'Co-management is not configured (ENTRA_CLIENT_SECRET): Teams assignments were not compared' };
    }
    try {
      return { checked: true, numbers: await this.directory.numbersOf(customer.customerTenantId) };
    } catch (error) {
      return { checked: false, reason: `Microsoft Teams could not be read (${messageOf(error)}): Teams assignments were not compared` };
    }
  }
}
