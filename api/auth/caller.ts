import type { ObjectId } from 'mongodb';
import { z } from 'zod';
import type { MemberRole } from '../members/member-role';

/** Who acts: a signed-in member of a registered partner. Every query is scoped by it. */
export interface Caller {
  readonly partnerId: ObjectId;
  readonly partnerName: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly userName?: string;
  /** Read from the members collection on every request (or bot turn), never cached beyond it. */
  readonly role: MemberRole;
  /** The token carried the Global Administrator directory role (Admin whatever the stored role). */
  readonly globalAdministrator?: boolean;
}

/** How a person is recorded on what they did (audit, numbers' addedBy). */
export interface Actor {
  tid: string;
  oid: string;
  name?: string;
}

export function actorOf(caller: Caller): Actor {
  return caller.userName === undefined
    ? { tid: caller.tenantId, oid: caller.userId }
    : { tid: caller.tenantId, oid: caller.userId, name: caller.userName };
}

export const actorView = z.object({ tid: z.string(), oid: z.string(), name: z.string().optional() });

/**
 * A caller as stored with work another process may carry out for them (a
 * job, a bot's follow-up): enough to act as them again, with the role they had
 * when they asked.
 */
export interface StoredCaller extends Actor {
  role: MemberRole;
  partnerName: string;
}

export function storedCallerOf(caller: Caller): StoredCaller {
  return { ...actorOf(caller), role: caller.role, partnerName: caller.partnerName };
}

export function callerFromStored(partnerId: ObjectId, stored: StoredCaller): Caller {
  const { tid, oid, name, role, partnerName } = stored;
  return { partnerId, partnerName, tenantId: tid, userId: oid, ...(name === undefined ? {} : { userName: name }), role };
}
