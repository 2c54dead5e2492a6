import { CardFactory, type Attachment } from 'botbuilder';

/** An Adaptive Card 1.5 attachment from its body elements. */
export function adaptiveCard(body: unknown[], actions: unknown[] = []): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length > 0 ? { actions } : {}),
  });
}

export const heading = (text: string) => ({ type: 'TextBlock', text, weight: 'Bolder', size: 'Medium', wrap: true });
export const paragraph = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'TextBlock', text, wrap: true, ...extra });
export const facts = (pairs: readonly (readonly [string, string])[]) => ({
  type: 'FactSet',
  facts: pairs.map(([title, value]) => ({ title, value })),
});
