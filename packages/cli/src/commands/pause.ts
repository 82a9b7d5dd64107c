/** `pause ID`: stop starting new steps. */
import { controlCommand } from '../control-command.js';

/** `workflow-mastery pause`. */
export const pauseCommand = controlCommand('pause', 'pause an instance: running attempts finish, no new step starts', 'paused', (engine, id, o) => engine.pause(id, o.by));
