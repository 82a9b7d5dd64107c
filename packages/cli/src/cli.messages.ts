/** User-facing messages of the command line, gathered in one place. */

/** Appended when a command needs a definition that is not registered in this process. */
export const MISSING_DEFINITION_HINT = 'pass --module FILE (or --definition FILE) that defines it';

/** The engine refuses to start without actions: say where they come from. */
export const MISSING_ACTIONS_HINT = 'pass --module FILE exporting `actions` (a record of name → implementation)';

/** `serve` refuses to open the API without an explicit choice. */
export const SERVE_AUTH_REQUIRED = 'serve needs --token TOKEN (or WORKFLOW_API_TOKEN) for bearer authentication, or --auth none to open the API to anyone';

/** Printed by commands that hand work to other processes. */
export const HANDED_OFF_NOTE =
  'its next steps run in a process that has its actions: `workflow-mastery serve --module FILE` on the same database, or pass --module FILE here to run them now';

/** `--data` (or `option`, e.g. `--patch`) that is not JSON. */
export function badDataMessage(source: string, detail: string, option = '--data'): string {
  return `${option} ${source} is not a JSON object: ${detail}`;
}
