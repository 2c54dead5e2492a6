import type { NewCallflow } from './backend-types';

/** A callflow that routes its numbers to the customer's Microsoft Teams tenant. */
export function teamsCallflowFor(numbers: string[], tenantName: string): NewCallflow {
  return { name: `Teams ${tenantName}`, numbers, flow: { module: 'teams', data: { tenant_name: tenantName } } };
}
