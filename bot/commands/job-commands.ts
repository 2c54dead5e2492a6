import { jobsCard } from '../cards/job-cards';
import type { CommandGroup } from '../command-group';

/** Jobs on the card of "jobs": enough to find the one just started, as the tab's Jobs list has them all. */
const RECENT_JOBS = 10;

/** "jobs": the caller's recent jobs (large pastes, imports), how far each got and its outcomes. */
export const jobCommands: CommandGroup = {
  commands: [
    {
      name: 'jobs',
      role: 'viewer',
      help: ['jobs', 'the jobs you started lately (a paste of more than 1,000 numbers, an import): how far each got, and its outcomes'],
      match: (said) => (said.word === 'jobs' && !said.args ? { name: 'jobs' } : undefined),
      async run(turn) {
        await turn.reply({ card: jobsCard(await turn.services.jobs.listMine(turn.caller, RECENT_JOBS)) });
      },
    },
  ],
};
