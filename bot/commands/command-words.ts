/** A chat message as the commands read it: words are case-insensitive, extra spaces ignored. */
export interface Said {
  /** The message as typed (new lines kept: pasted numbers). */
  message: string;
  /** The message with every run of spaces one space, trimmed. */
  text: string;
  /** The first word, lower case ('' for an empty message). */
  word: string;
  /** The words after the first. */
  rest: string[];
  /** The words after the first, as one text. */
  args: string;
}

export function readSaid(message: string): Said {
  const text = message.replace(/\s+/g, ' ').trim();
  const [first = '', ...rest] = text.split(' ');
  return { message, text, word: first.toLowerCase(), rest, args: rest.join(' ') };
}

/** "... page 3" at the end of the words (after at least two others): the page, and the words before it. */
export function trailingPage(words: string[]): { words: string[]; page?: number } {
  const pageMatch = /^page\s+(\d+)$/i.exec(words.slice(-2).join(' '));
  if (pageMatch && words.length > 2) return { words: words.slice(0, -2), page: Math.max(1, Number(pageMatch[1])) };
  return { words };
}
