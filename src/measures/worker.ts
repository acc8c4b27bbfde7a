// Worker thread body for analyse measures: one cohort file per task.

import { serveTasks } from '../parallel/protocol.js';
import { countFile } from './count-file.js';

serveTasks(countFile);
