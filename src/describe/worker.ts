// Worker thread body for describe: profiles one cohort file per task.

import { serveTasks } from '../parallel/protocol.js';
import { profileFile } from './profile-file.js';

serveTasks(profileFile);
