/** Who the command line acts as, in the history. */
import { userInfo } from 'node:os';

/** `--by` when given, else `cli:<os user>`. */
export function cliActor(by: string | undefined): string {
  if (by !== undefined && by.trim() !== '') return by;
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}
