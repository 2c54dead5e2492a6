/** A chat message read as a command: its name and the rest of the text. */
export type BotCommand =
  | { name: 'help' }
  | { name: 'customers'; text: string }
  | { name: 'details'; customer: string }
  | { name: 'numbers'; customer: string; status?: string; page?: number }
  | { name: 'sync'; customer: string; preview: boolean }
  | { name: 'add-numbers'; customer: string; numbers: string }
  | { name: 'remove-numbers'; customer: string; numbers: string }
  | { name: 'unknown'; text: string };

const STATUS_WORDS: Record<string, string> = {
  pending: 'pending',
  synced: 'synced',
  fatal: 'backend_fatal',
  backend_fatal: 'backend_fatal',
  missing: 'not_in_backend',
  not_in_backend: 'not_in_backend',
};

/**
 * "add numbers contoso +1 212 555 0100, +12125550101": the customer is named
 * first, the numbers start at the first piece that starts like a number.
 */
function customerAndNumbers(rest: string): { customer: string; numbers: string } | undefined {
  const start = rest.search(/(^|[\s,;])(\+|\(|tel:|\d)/i);
  if (start <= 0) return undefined;
  const customer = rest.slice(0, start).trim();
  const numbers = rest.slice(start).trim();
  return customer && numbers ? { customer, numbers } : undefined;
}

/** Reads what the partner typed; words are case-insensitive, extra spaces ignored. */
export function parseCommand(message: string): BotCommand {
  const twoWords = /^\s*(add|remove)\s+numbers?\s+([\s\S]*)$/i.exec(message);
  if (twoWords) {
    const parts = customerAndNumbers(twoWords[2]!);
    if (parts) return { name: twoWords[1]!.toLowerCase() === 'add' ? 'add-numbers' : 'remove-numbers', ...parts };
  }
  const text = message.replace(/\s+/g, ' ').trim();
  const [first = '', ...rest] = text.split(' ');
  const word = first.toLowerCase();
  const args = rest.join(' ');
  if (word === '' || word === 'help' || word === '?') return { name: 'help' };
  if (word === 'customers' || word === 'customer') return { name: 'customers', text: args };
  if (word === 'details' && args) return { name: 'details', customer: args };
  if (word === 'sync' && args) {
    const preview = rest.length > 1 && /^(preview|dry-?run)$/i.test(rest[rest.length - 1]!);
    return { name: 'sync', customer: preview ? rest.slice(0, -1).join(' ') : args, preview };
  }
  if (word === 'numbers' && args) {
    // numbers <customer> [status] [page N]
    let words = rest;
    let page: number | undefined;
    const pageMatch = /^page\s+(\d+)$/i.exec(words.slice(-2).join(' '));
    if (pageMatch && words.length > 2) {
      page = Math.max(1, Number(pageMatch[1]));
      words = words.slice(0, -2);
    }
    const status = words.length > 1 ? STATUS_WORDS[words[words.length - 1]!.toLowerCase()] : undefined;
    if (status) words = words.slice(0, -1);
    return { name: 'numbers', customer: words.join(' '), ...(status ? { status } : {}), ...(page ? { page } : {}) };
  }
  return { name: 'unknown', text };
}
