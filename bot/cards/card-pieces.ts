import type { Attachment } from 'botbuilder';
import type { Page } from '../../api/shared/paging';
import { STATUS_TEXT } from '../../api/numbers/number-status';
import { adaptiveCard, facts, heading, paragraph } from './adaptive-card';

/** The pieces the bot's cards are built from: a card of one sentence, a result, a list, a confirmation. */

/** A card of one sentence. */
export function noteCard(text: string): Attachment {
  return adaptiveCard([paragraph(text)]);
}

export function expiredCard(): Attachment {
  return noteCard('This card has expired: ask again.');
}

/** A heading and what follows it; a part that is false, 0 or missing is left out. */
export function resultCard(title: string, ...parts: unknown[]): Attachment {
  return adaptiveCard([heading(title), ...parts.filter(Boolean)]);
}

/** An empty list. */
export function noneCard(title: string): Attachment {
  return resultCard(title, paragraph('None.'));
}

/** A status name as the partner reads it. */
export const statusText = (status: string) => STATUS_TEXT[status as keyof typeof STATUS_TEXT] ?? status;

/** How many numbers have each status. */
export const statusFacts = (counts: Record<string, number>) =>
  facts(Object.entries(counts).map(([status, count]) => [statusText(status), String(count)]));

/**
 * A page of a list: "<title>: <total>", a fact a row, then "26-50 of 60 (page 2
 * of 3): say "<the next page's command>" for more." when there are more pages;
 * "None." when the page is empty.
 */
export function pagedListCard<T>(title: string, list: Page<T>, row: (item: T) => [string, string], nextPage: (page: number) => string): Attachment {
  const { items, total, page, pageSize } = list;
  if (items.length === 0) return noneCard(title);
  const first = (page - 1) * pageSize + 1;
  const last = first + items.length - 1;
  const pages = Math.ceil(total / Math.max(pageSize, 1));
  return resultCard(
    `${title}: ${total}`,
    facts(items.map(row)),
    pages > 1 &&
      paragraph(`${first}-${last} of ${total} (page ${page} of ${pages})${page < pages ? `: say "${nextPage(page + 1)}" for more` : ''}.`, {
        isSubtle: true,
      }),
  );
}

/** A button that runs `verb` on the server (Action.Execute); clients without Action.Execute send the same data as a message. */
export function executeAction(title: string, verb: string, data: Record<string, unknown>, style?: string) {
  return {
    type: 'Action.Execute',
    title,
    verb,
    data,
    ...(style ? { style } : {}),
    fallback: { type: 'Action.Submit', title, data: { ...data, verb } },
  };
}

/** Nothing is done yet: what would be, then Confirm and Cancel, both carrying `data`. */
export function confirmCard(
  body: unknown[],
  data: Record<string, unknown>,
  confirm: { verb: string; style: string },
  cancel: { verb: string },
): Attachment {
  return adaptiveCard(body, [executeAction('Confirm', confirm.verb, data, confirm.style), executeAction('Cancel', cancel.verb, data)]);
}
