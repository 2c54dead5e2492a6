import type { BackendCallflow, NewCallflow } from './backend-types';

/** A callflow that routes its numbers to the customer's Microsoft Teams tenant. */
export function teamsCallflowFor(numbers: string[], tenantName: string): NewCallflow {
  return { name: `Teams ${tenantName}`, numbers, flow: { module: 'teams', data: { tenant_name: tenantName } } };
}

/** The same Teams callflow, routed to `tenantName`. */
export function withTenant(callflow: BackendCallflow, tenantName: string): BackendCallflow {
  return { ...callflow, flow: { ...callflow.flow, data: { ...callflow.flow.data, tenant_name: tenantName } } };
}
