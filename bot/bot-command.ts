/** A chat message read as a command: its name and the rest of the text. */
export type BotCommand =
  | { name: 'help' }
  | { name: 'customers'; text: string }
  | { name: 'details'; customer: string }
  | { name: 'numbers'; customer: string; status?: string }
  | { name: 'unknown'; text: string };

const STATUS_WORDS: Record<string, string> = {
  pending: 'pending',
  synced: 'synced',
  fatal: 'backend_fatal',
  backend_fatal: 'backend_fatal',
  missing: 'not_in_backend',
  not_in_backend: 'not_in_backend',
};

/** Reads what the partner typed; words are case-insensitive, extra spaces ignored. */
export function parseCommand(message: string): BotCommand {
  const text = message.replace(/\s+/g, ' ').trim();
  const [first = '', ...rest] = text.split(' ');
  const word = first.toLowerCase();
  const args = rest.join(' ');
  if (word === '' || word === 'help' || word === '?') return { name: 'help' };
  if (word === 'customers' || word === 'customer') return { name: 'customers', text: args };
  if (word === 'details' && args) return { name: 'details', customer: args };
  if (word === 'numbers' && args) {
    const last = rest[rest.length - 1]!.toLowerCase();
    const status = rest.length > 1 ? STATUS_WORDS[last] : undefined;
    return status ? { name: 'numbers', customer: rest.slice(0, -1).join(' '), status } : { name: 'numbers', customer: args };
  }
  return { name: 'unknown', text };
}
