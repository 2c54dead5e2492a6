import { ObjectId } from 'mongodb';

/** An id from a URL, or null when it cannot be one (the caller answers 404). */
export function parseObjectId(id: string): ObjectId | null {
  return /^[0-9a-f]{24}$/i.test(id) ? new ObjectId(id) : null;
}
