/**
 * The Microsoft Graph shapes the portal reads and writes (graph-api.md), as
 * Graph writes them. Fields Graph may leave out are optional.
 */
export interface GraphUser {
  id: string;
  displayName: string | null;
  userPrincipalName: string;
  accountEnabled?: boolean | null;
}

export interface AssignedTelephoneNumber {
  telephoneNumber: string;
  assignmentCategory?: string;
}

export interface EffectivePolicyAssignment {
  policyType: string;
  policyAssignment?: { displayName?: string | null; policyId?: string | null; assignmentType?: string | null };
}

/** microsoft.graph.teamsAdministration.teamsUserConfiguration */
export interface TeamsUserConfiguration {
  id: string;
  userPrincipalName?: string;
  isEnterpriseVoiceEnabled?: boolean;
  telephoneNumbers?: AssignedTelephoneNumber[];
  effectivePolicyAssignments?: EffectivePolicyAssignment[];
  accountType?: string;
}

export type AssignmentStatus =
  | 'unassigned'
  | 'userAssigned'
  | 'conferenceAssigned'
  | 'voiceApplicationAssigned'
  | 'thirdPartyAppAssigned'
  | 'policyAssigned'
  | (string & {});

export type ActivationState =
  | 'activated'
  | 'assignmentPending'
  | 'assignmentFailed'
  | 'updatePending'
  | 'updateFailed'
  | (string & {});

/** microsoft.graph.teamsAdministration.numberAssignment */
export interface NumberAssignment {
  telephoneNumber: string;
  assignmentStatus: AssignmentStatus;
  assignmentTargetId?: string | null;
  activationState?: ActivationState | null;
  numberType?: string;
  assignmentCategory?: string | null;
}

export type OperationStatus = 'notStarted' | 'running' | 'succeeded' | 'failed' | (string & {});

/** microsoft.graph.teamsAdministration.telephoneNumberLongRunningOperation */
export interface TelephoneNumberOperation {
  id: string;
  status: OperationStatus;
  createdDateTime?: string;
  numbers?: { resourceLocation?: string; status?: OperationStatus; statusDetail?: string | null }[];
}

export const VOICE_ROUTING_POLICY = 'OnlineVoiceRoutingPolicy';

/** Application permissions the co-management consent grants (graph-api.md). */
export const GRAPH_PERMISSIONS = [
  'User.Read.All',
  'TeamsUserConfiguration.Read.All',
  'TeamsTelephoneNumber.ReadWrite.All',
  'TeamsPolicyUserAssign.ReadWrite.All',
] as const;
