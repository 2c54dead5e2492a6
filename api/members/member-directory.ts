import { ObjectId, type Collection } from 'mongodb';
import type { AuditLog } from '../audit/audit-log';
import { actorOf, type Caller } from '../auth/caller';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { PartnerDocument } from '../partners/partner-document';
import type { PartnerRegistry } from '../partners/partner-registry';
import { isDuplicateKeyError } from '../storage/duplicate-key';
import type { MemberDocument, MemberGrant } from './member-document';
import { requireRole, ROLE_NAMES, type MemberRole } from './member-role';
import type { MemberChange, MemberView } from './member-schemas';

/** Who the audit log names for what the carrier did with the partner CLI. */
const REGISTRATION_ACTOR = { tid: 'carrier', oid: 'partner-cli', name: 'The carrier (partner registration)' };

/** The person behind a token or a Teams activity. */
export interface Person {
  tenantId: string;
  oid: string;
  name?: string;
  /** The token's `wids` named the Global Administrator role (never known in the bot). */
  globalAdministrator?: boolean;
}

/**
 * The partner's members and their roles. A caller's role is read here on every
 * request and bot turn (one indexed read), so a change applies to the next one.
 */
export class MemberDirectory {
  constructor(
    private readonly members: Collection<MemberDocument>,
    private readonly partners: PartnerRegistry,
    private readonly audit: AuditLog,
  ) {}

  /** The caller a person of a registered partner's tenant is: their member, recorded at first sign-in. */
  async callerOf(partner: PartnerDocument, person: Person): Promise<Caller> {
    const member = (await this.members.findOne({ partnerId: partner._id, oid: person.oid })) ?? (await this.firstSignIn(partner, person));
    const globalAdministrator = person.globalAdministrator === true;
    // The name and the Global Administrator mark follow the token; writes only when they change.
    const update: Partial<MemberDocument> = {};
    if (person.name !== undefined && person.name !== member.name) update.name = person.name;
    if (person.globalAdministrator !== undefined && globalAdministrator !== (member.globalAdministrator ?? false)) {
      update.globalAdministrator = globalAdministrator;
    }
    if (Object.keys(update).length > 0) await this.members.updateOne({ _id: member._id }, { $set: update });
    return {
      partnerId: partner._id,
      partnerName: partner.name,
      tenantId: person.tenantId,
      userId: person.oid,
      ...(person.name === undefined ? (member.name === undefined ? {} : { userName: member.name }) : { userName: person.name }),
      role: globalAdministrator ? 'admin' : member.role,
      ...(globalAdministrator ? { globalAdministrator } : {}),
    };
  }

  /** Whether the person is still one of the partner's members (removed members are not). */
  async isMember(partnerId: ObjectId, oid: string): Promise<boolean> {
    return (await this.members.countDocuments({ partnerId, oid }, { limit: 1 })) > 0;
  }

  async list(caller: Caller): Promise<{ items: MemberView[] }> {
    requireRole(caller, 'admin');
    const members = await this.members.find({ partnerId: caller.partnerId }).sort({ name: 1, oid: 1 }).toArray();
    return { items: members.map(toMemberView) };
  }

  /** Gives `oid` the role: changes a member's, or adds someone not signed in yet. */
  /** Local mode's sign-in picker only: who may be signed in as, with no caller to scope by. */
  async forLocalSignIn(partnerId: ObjectId): Promise<{ oid: string; name: string | null; role: MemberRole }[]> {
    const members = await this.members.find({ partnerId }).sort({ name: 1, oid: 1 }).toArray();
    return members.map(({ oid, name, role }) => ({ oid, name: name ?? null, role }));
  }

  async setRole(caller: Caller, oid: string, change: MemberChange): Promise<MemberView> {
    requireRole(caller, 'admin');
    const grant: MemberGrant = { how: 'admin', ...actorName(caller) };
    const existing = await this.members.findOne({ partnerId: caller.partnerId, oid });
    if (!existing) {
      const member: MemberDocument = {
        _id: new ObjectId(),
        partnerId: caller.partnerId,
        oid,
        ...(change.name === undefined ? {} : { name: change.name }),
        role: change.role,
        grantedBy: grant,
        grantedAt: new Date(),
      };
      try {
        await this.members.insertOne(member);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Signed in meanwhile: change their role instead.
        return this.setRole(caller, oid, change);
      }
      await this.audit.record(caller, 'member.added', undefined, { oid, name: member.name ?? null, role: { from: null, to: change.role } });
      return toMemberView(member);
    }
    if (existing.role === change.role) return toMemberView(existing);
    if (existing.role === 'admin') await this.refuseLastAdmin(caller, existing, 'demote');
    const grantedAt = new Date();
    const changed = await this.members.findOneAndUpdate(
      { _id: existing._id, role: existing.role },
      { $set: { role: change.role, grantedBy: grant, grantedAt } },
      { returnDocument: 'after' },
    );
    if (!changed) return this.setRole(caller, oid, change);
    if (existing.role === 'admin' && (await this.adminCount(caller.partnerId)) === 0) {
      // Another Admin was demoted or removed at the same moment: put this one back.
      await this.members.updateOne(
        { _id: existing._id, role: change.role },
        { $set: { role: 'admin', grantedBy: existing.grantedBy, grantedAt: existing.grantedAt } },
      );
      throw lastAdmin(caller, existing, 'demote');
    }
    await this.audit.record(caller, 'member.role_changed', undefined, {
      oid,
      name: existing.name ?? null,
      role: { from: existing.role, to: change.role },
    });
    return toMemberView(changed);
  }

  /**
   * Takes someone off the members. They keep no role: at their next sign-in the
   * new-members rule applies again (viewer, or refused).
   */
  async remove(caller: Caller, oid: string): Promise<void> {
    requireRole(caller, 'admin');
    const existing = await this.members.findOne({ partnerId: caller.partnerId, oid });
    if (!existing) throw new NotFoundError(`No member ${oid} at ${caller.partnerName}`);
    if (existing.role === 'admin') await this.refuseLastAdmin(caller, existing, 'remove');
    // deleteOne with the role read: a change meanwhile makes it miss, and the removal starts over.
    const { deletedCount } = await this.members.deleteOne({ _id: existing._id, role: existing.role });
    if (deletedCount === 0) return this.remove(caller, oid);
    if (existing.role === 'admin' && (await this.adminCount(caller.partnerId)) === 0) {
      await this.members.insertOne(existing).catch((error: unknown) => {
        if (!isDuplicateKeyError(error)) throw error;
      });
      throw lastAdmin(caller, existing, 'remove');
    }
    await this.audit.record(caller, 'member.removed', undefined, { oid, name: existing.name ?? null, role: { from: existing.role, to: null } });
  }

  /**
   * An Admin named at registration (the carrier's partner CLI): made Admin
   * whatever they were, audited as the carrier's doing. Answers what they were before.
   */
  async grantAdminAtRegistration(partnerId: ObjectId, oid: string, name?: string): Promise<MemberRole | undefined> {
    const before = await this.members.findOneAndUpdate(
      { partnerId, oid },
      {
        $set: { role: 'admin', grantedBy: { how: 'registration' }, grantedAt: new Date(), ...(name === undefined ? {} : { name }) },
        $setOnInsert: { _id: new ObjectId(), partnerId, oid },
      },
      { upsert: true, returnDocument: 'before' },
    );
    if (before?.role !== 'admin') {
      await this.audit.recordAs(partnerId, REGISTRATION_ACTOR, before ? 'member.role_changed' : 'member.added', undefined, {
        oid,
        name: name ?? before?.name ?? null,
        role: { from: before?.role ?? null, to: 'admin' },
      });
    }
    return before?.role;
  }

  private async firstSignIn(partner: PartnerDocument, person: Person): Promise<MemberDocument> {
    let role: MemberRole;
    let grantedBy: MemberGrant;
    if (person.globalAdministrator) {
      role = 'admin';
      grantedBy = { how: 'global_administrator' };
    } else {
      if ((await this.partners.newMembersRule(partner._id)) === 'none') {
        throw new ForbiddenError('not_a_member', `Ask an admin of ${partner.name} for access`);
      }
      role = 'viewer';
      grantedBy = { how: 'first_sign_in' };
    }
    const member: MemberDocument = {
      _id: new ObjectId(),
      partnerId: partner._id,
      oid: person.oid,
      ...(person.name === undefined ? {} : { name: person.name }),
      role,
      grantedBy,
      grantedAt: new Date(),
      ...(person.globalAdministrator ? { globalAdministrator: true } : {}),
    };
    try {
      await this.members.insertOne(member);
      return member;
    } catch (error) {
      // Two first requests at once: the other one recorded them.
      if (!isDuplicateKeyError(error)) throw error;
      const recorded = await this.members.findOne({ partnerId: partner._id, oid: person.oid });
      if (!recorded) throw error;
      return recorded;
    }
  }

  /** Refuses up front, writing nothing, when `member` is the partner's only Admin. */
  private async refuseLastAdmin(caller: Caller, member: MemberDocument, what: 'demote' | 'remove'): Promise<void> {
    const others = await this.members.countDocuments({ partnerId: caller.partnerId, role: 'admin', _id: { $ne: member._id } }, { limit: 1 });
    if (others === 0) throw lastAdmin(caller, member, what);
  }

  private adminCount(partnerId: ObjectId): Promise<number> {
    return this.members.countDocuments({ partnerId, role: 'admin' }, { limit: 1 });
  }
}

function lastAdmin(caller: Caller, member: MemberDocument, what: 'demote' | 'remove'): ConflictError {
  const who = member.oid === caller.userId ? 'You are' : `${member.name ?? member.oid} is`;
  return new ConflictError(
    'last_admin',
    `${who} the last ${ROLE_NAMES.admin} of ${caller.partnerName}; make another member ${ROLE_NAMES.admin} before you ${what === 'demote' ? 'change this role' : 'remove them'}`,
  );
}

function actorName(caller: Caller): { oid: string; name?: string } {
  const { oid, name } = actorOf(caller);
  return name === undefined ? { oid } : { oid, name };
}

export function toMemberView(member: MemberDocument): MemberView {
  return {
    oid: member.oid,
    name: member.name ?? null,
    role: member.role,
    grantedBy: member.grantedBy,
    grantedAt: member.grantedAt.toISOString(),
    globalAdministrator: member.globalAdministrator ?? false,
  };
}
