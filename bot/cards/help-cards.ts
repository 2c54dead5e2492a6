import type { Attachment } from 'botbuilder';
import { facts, paragraph } from './adaptive-card';
import { resultCard } from './card-pieces';

/** What the partner can ask: a line per command (usage, what it does), then the notes. */
export function helpCard(commands: readonly (readonly [string, string])[], notes: readonly string[]): Attachment {
  return resultCard('Partner Portal: what you can ask', facts(commands), ...notes.map((note) => paragraph(note, { isSubtle: true })));
}
