import type { CommandGroup } from '../command-group';
import { alertCommands } from './alert-commands';
import { coManagementCommands } from './co-management-commands';
import { customerCommands } from './customer-commands';
import { helpCommands } from './help-commands';
import { jobCommands } from './job-commands';
import { numberCommands } from './number-commands';
import { syncCommands } from './sync-commands';

/** The command groups the bot runs, in the order of the help card. A new group is one file, listed here. */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  helpCommands,
  customerCommands,
  numberCommands,
  jobCommands,
  syncCommands,
  coManagementCommands,
  alertCommands,
];
