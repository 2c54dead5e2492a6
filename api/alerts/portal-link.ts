/** The static tab of the manifest (appPackage/manifest.json) that shows the portal. */
export const PORTAL_TAB_ENTITY_ID = 'partner-portal';

/** The sub-entity the tab opens a customer's Details for (tab/src/app/teams-host.ts reads it). */
export const customerSubEntityId = (customerId: string) => `customer:${customerId}`;

/**
 * A Teams deep link to a customer's Details in the portal tab; none without
 * the Teams app's id (TEAMS_APP_ID), which only provisioning knows.
 */
export function customerPortalLink(teamsAppId: string | undefined): (customerId: string) => string | undefined {
  return (customerId) => {
    if (!teamsAppId) return undefined;
    const context = encodeURIComponent(JSON.stringify({ subEntityId: customerSubEntityId(customerId) }));
    return `https://teams.microsoft.com/l/entity/${encodeURIComponent(teamsAppId)}/${PORTAL_TAB_ENTITY_ID}?context=${context}`;
  };
}
