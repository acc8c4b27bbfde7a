// Worker thread body for join-ethnicity: one cohort file per task.

import { serveTasks } from '../parallel/protocol.js';
import { joinFile } from './join-file.js';

serveTasks(joinFile);
