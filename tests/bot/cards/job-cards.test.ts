import type { Attachment } from 'botbuilder';
import type { JobView } from '../../../api/jobs/job-schemas';
import { jobCard, jobsCard } from '../../../bot/cards/job-cards';
import { expectAdaptiveCard15 } from '../../support/bot-conversation';
import { jobView } from '../../support/views';

/** The shared job view, as the card tests saw it first: 500 of 1,200 done, for Contoso Ltd. */
const addJob = (fields: Partial<JobView> = {}): JobView =>
  jobView({
    id: 'j1',
    customerLabel: 'Contoso Ltd',
    done: 500,
    outcomes: { added: 499, 'already-present': 0, 'owned-elsewhere': 0, invalid: 1 },
    startedBy: { tid: 't', oid: 'o', name: 'Ann' },
    createdAt: '2026-01-01T10:00:00.000Z',
    startedAt: '2026-01-01T10:00:01.250Z',
    ...fields,
  });
const done = addJob({ state: 'done', done: 1200, outcomes: { added: 1199, 'already-present': 0, 'owned-elsewhere': 0, invalid: 1 }, finishedAt: '2026-01-01T10:00:09.000Z' });
const allAdded = addJob({ state: 'done', done: 1200, outcomes: { added: 1200, 'already-present': 0, 'owned-elsewhere': 0, invalid: 0 } });
const importJob = addJob({
  kind: 'customers.import',
  customerId: null,
  state: 'queued',
  total: 40,
  done: 0,
  outcomes: { created: 0, 'duplicate-account-id': 0, 'duplicate-in-file': 0, invalid: 0 },
  startedAt: null,
  successOutcomes: ['created'],
  inputLabel: 'Account ID',
  fileName: 'customers.csv',
});
const removeJob = addJob({ kind: 'numbers.remove', state: 'cancelled', total: 3000, done: 1000, outcomes: { removed: 990, 'not-found': 10, invalid: 0 }, successOutcomes: ['removed'] });

const text = (attachment: Attachment) => JSON.stringify(attachment.content);

const cards: [string, Attachment][] = [
  ['job queued', jobCard(addJob({ state: 'queued', done: 0, outcomes: { added: 0, 'already-present': 0, 'owned-elsewhere': 0, invalid: 0 }, startedAt: null }), 'Contoso Ltd')],
  ['job running', jobCard(addJob(), 'Contoso Ltd')],
  ['job done with a failed row', jobCard(done, 'Contoso Ltd')],
  ['job failed', jobCard(addJob({ state: 'failed', error: 'The customer was deleted.' }))],
  ['removal cancelled', jobCard(removeJob, 'Contoso Ltd')],
  ['import queued', jobCard(importJob)],
  ['jobs', jobsCard([done, importJob, removeJob])],
  ['one job', jobsCard([done])],
  ['no jobs', jobsCard([])],
];

describe('job cards', () => {
  it.each(cards)('%s is an Adaptive Card 1.5 the adaptivecards parser takes without a warning', (_name, attachment) => expectAdaptiveCard15(attachment));

  it('shows a job as it goes: what it does for which customer, how far it got, every outcome so far', () => {
    const card = text(jobCard(addJob(), 'Contoso Ltd'));
    expect(card).toContain('Adding 1,200 numbers to Contoso Ltd');
    expect(card).toContain('"title":"State","value":"Running"');
    expect(card).toContain('"title":"Progress","value":"500 of 1,200"');
    // The add card's words, zeros included so the card keeps its shape as the counts grow.
    for (const [title, value] of [['Added', '499'], ['Already there', '0'], ['Belongs to another customer', '0'], ['Not valid', '1']]) {
      expect(card).toContain(`"title":"${title}","value":"${value}"`);
    }
    expect(card).toContain('updated as the job goes on');
    expect(card).not.toContain('failed rows');
  });

  it('ends with the final counts and, when rows failed, where they are', () => {
    const card = text(jobCard(done, 'Contoso Ltd'));
    expect(card).toContain('"title":"State","value":"Done"');
    expect(card).toContain('"title":"Progress","value":"1,200 of 1,200"');
    expect(card).toContain('"title":"Added","value":"1,199"');
    expect(card).toContain('"title":"Not valid","value":"1"');
    expect(card).toContain('1 row was not done as asked: the failed rows are in the Jobs list');
    expect(card).toContain('say \\"sync Contoso Ltd\\"');
    expect(card).not.toContain('updated as the job goes on');
    expect(text(jobCard(allAdded, 'Contoso Ltd'))).not.toContain('failed rows');
    expect(text(jobCard(addJob({ state: 'failed', error: 'The customer was deleted.' })))).toContain('The customer was deleted. What was done before stays done.');
    expect(text(jobCard(removeJob, 'Contoso Ltd'))).toContain('Removing 3,000 numbers from Contoso Ltd');
    expect(text(jobCard(removeJob))).toContain('10 rows were not done as asked');
  });

  it('lists jobs by kind in words, with the file, state, progress, outcomes and start in the reader\'s time zone', () => {
    const card = text(jobsCard([done, importJob, removeJob]));
    expect(card).toContain('Your last 3 jobs');
    for (const part of [
      'Add numbers',
      'Import customers from customers.csv',
      'Remove numbers',
      '"value":"1,199 added, 1 not valid"',
      '"value":"990 removed, 10 not on this customer"',
      '"value":"nothing yet"',
      '"value":"Waiting to start"',
      '"value":"Cancelled"',
      'Started {{DATE(2026-01-01T10:00:01Z, SHORT)}} {{TIME(2026-01-01T10:00:01Z)}}',
      'Waiting to start since {{DATE(2026-01-01T10:00:00Z, SHORT)}}',
    ]) {
      expect(card).toContain(part);
    }
    expect(text(jobsCard([]))).toContain('You have started no jobs yet');
  });
});
