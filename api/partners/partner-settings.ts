import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log';
import type { Caller } from '../auth/caller';
import { requireRole } from '../members/member-role';
import { NEW_MEMBERS_RULES } from './partner-document';
import type { PartnerRegistry } from './partner-registry';

export const newMembersSchema = z.enum(NEW_MEMBERS_RULES, { error: 'newMembers is viewer or none' });

export const partnerSettingsView = z.object({ newMembers: newMembersSchema });
export type PartnerSettingsView = z.infer<typeof partnerSettingsView>;

export const partnerSettingsChange = z.strictObject({ newMembers: newMembersSchema.optional() });
export type PartnerSettingsChange = z.infer<typeof partnerSettingsChange>;

/** The partner's own settings, an Admin's to change; each change is audited with before and after. */
export class PartnerSettings {
  constructor(
    private readonly partners: PartnerRegistry,
    private readonly audit: AuditLog,
  ) {}

  async read(caller: Caller): Promise<PartnerSettingsView> {
    requireRole(caller, 'admin');
    return { newMembers: await this.partners.newMembersRule(caller.partnerId) };
  }

  async update(caller: Caller, change: PartnerSettingsChange): Promise<PartnerSettingsView> {
    requireRole(caller, 'admin');
    if (change.newMembers === undefined) return this.read(caller);
    const before = await this.partners.setNewMembersRule(caller.partnerId, change.newMembers);
    if (before !== change.newMembers) {
      await this.audit.record(caller, 'settings.updated', undefined, { newMembers: { from: before, to: change.newMembers } });
    }
    return { newMembers: change.newMembers };
  }
}
