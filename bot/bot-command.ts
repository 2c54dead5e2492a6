/** A chat message read as a command: its name and the rest of the text. */
export type BotCommand =
  | { name: 'help' }
  | { name: 'customers'; text: string }
  | { name: 'details'; customer: string }
  | { name: 'numbers'; customer: string; status?: string; page?: number }
  | { name: 'sync'; customer: string; preview: boolean }
  | { name: 'add-numbers'; customer: string; numbers: string }
  | { name: 'remove-numbers'; customer: string; numbers: string }
  /**
   * users <customer> [text] [page N]. As read, `customer` holds every word
   * (the customer, then perhaps the search text): the bot splits them, the
   * longest start that names a customer being the customer (customerSplits),
   * and then sets `search`.
   */
  | { name: 'users'; customer: string; search?: string; page?: number }
  | { name: 'assign'; number: string; user: string; customer: string }
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

/** "... page 3" at the end of the words (after at least two others): the page, and the words before it. */
function trailingPage(words: string[]): { words: string[]; page?: number } {
  const pageMatch = /^page\s+(\d+)$/i.exec(words.slice(-2).join(' '));
  if (pageMatch && words.length > 2) return { words: words.slice(0, -2), page: Math.max(1, Number(pageMatch[1])) };
  return { words };
}

/**
 * Where the customer may end in "users <customer> [text]": every split of the
 * words, the longest customer first (the whole text, then one word less...).
 */
export function customerSplits(words: string, max = 8): { customer: string; search?: string }[] {
  const all = words.split(' ').filter(Boolean);
  const splits: { customer: string; search?: string }[] = [];
  for (let end = all.length; end >= 1 && splits.length < max; end--) {
    const search = all.slice(end).join(' ');
    splits.push({ customer: all.slice(0, end).join(' '), ...(search ? { search } : {}) });
  }
  return splits;
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
    const paged = trailingPage(rest);
    const page = paged.page;
    let words = paged.words;
    const status = words.length > 1 ? STATUS_WORDS[words[words.length - 1]!.toLowerCase()] : undefined;
    if (status) words = words.slice(0, -1);
    return { name: 'numbers', customer: words.join(' '), ...(status ? { status } : {}), ...(page ? { page } : {}) };
  }
  if ((word === 'users' || word === 'user') && args) {
    // users <customer> [text] [page N]
    const { words, page } = trailingPage(rest);
    return { name: 'users', customer: words.join(' '), ...(page ? { page } : {}) };
  }
  if (word === 'assign') {
    // assign <number> to <user> at <customer>: the number ends at the first "to", the user at the last "at".
    const parts = /^assign (.+?) to (.+) at (.+)$/i.exec(text);
    if (parts) return { name: 'assign', number: parts[1]!.trim(), user: parts[2]!.trim(), customer: parts[3]!.trim() };
  }
  return { name: 'unknown', text };
}
