import { decodeJwt } from 'jose';
import type { CustomerDocument } from '../customers/customer-document';
import { AppError, ConflictError } from '../errors';
import type { GraphClient } from '../graph/graph-client';
import type { GraphError } from '../graph/graph-errors';
import { GRAPH_PERMISSIONS } from '../graph/graph-types';

/** The tenant id behind the tenant name the partner entered (graph-api.md). */
export async function expectedTenantId(customer: CustomerDocument, graph: GraphClient): Promise<string> {
  let tenantId: string | null;
  try {
    tenantId = await graph.resolveTenantId(customer.tenantName);
  } catch (error) {
    throw new AppError(502, 'microsoft_unreachable', `Microsoft could not be asked about ${customer.tenantName}: ${(error as GraphError).message}`);
  }
  if (!tenantId) {
    throw new ConflictError(
      'unknown_tenant',
      `Microsoft knows no tenant named ${customer.tenantName}. Ask your provider to correct the Office 365 Tenant Name.`,
    );
  }
  return tenantId;
}

/** Microsoft confirms the tenant's consent now, with every permission co-management needs; 409 if not. */
export async function confirmConsent(graph: GraphClient, tenantId: string, tenantName: string): Promise<void> {
  // A consent removed in Entra since shows here, not on the partner's first call.
  graph.forgetToken(tenantId);
  let token: string;
  try {
    token = await graph.token(tenantId);
  } catch (error) {
    throw new ConflictError(
      'consent_not_effective',
      `Microsoft does not confirm the consent for ${tenantName}: ${error instanceof Error ? error.message : String(error)} Grant consent again.`,
    );
  }
  // Entra gives the app a token even where the permissions were not granted: its roles say what was.
  const missing = GRAPH_PERMISSIONS.filter((permission) => !rolesOf(token).includes(permission));
  if (missing.length > 0) {
    throw new ConflictError(
      'consent_not_effective',
      `The consent for ${tenantName} does not include ${missing.join(', ')}. Grant consent again and accept every permission.`,
    );
  }
}

export function mismatchMessage(who: string, tenantName: string): string {
  return `You signed in with ${who}, which is not in ${tenantName}, the Microsoft 365 tenant your provider set up for this service. Sign in with an administrator account of ${tenantName}, or ask your provider to correct the tenant name.`;
}

/** The application permissions an app-only token carries (its `roles`); none when it is not a JWT. */
function rolesOf(token: string): string[] {
  try {
    const roles = decodeJwt(token).roles;
    return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}
