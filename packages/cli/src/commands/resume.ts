/** `resume ID`: go on after a pause. */
import { controlCommand } from '../control-command.js';

/** `workflow-mastery resume`. */
export const resumeCommand = controlCommand('resume', 'resume a paused instance', 'resumed', (engine, id, o) => engine.resume(id, o.by));
