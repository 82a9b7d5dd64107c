/**
 * The start of the commands the CLI prints as next steps ("complete it: ...", "retry it: ..."):
 * `workflow-mastery` plus the global options this run was given on its command line, so a hint
 * works when copied as printed (same storage, same definitions and actions).
 */
import type { Command } from 'commander';

/** Global options that decide which storage and which definitions a later command sees. */
const CARRIED: ReadonlyArray<{ key: string; flag: string; secret?: boolean }> = [
  { key: 'database', flag: '--database', secret: true },
  { key: 'tablePrefix', flag: '--table-prefix' },
  { key: 'module', flag: '--module' },
  { key: 'definition', flag: '--definition' },
  { key: 'redis', flag: '--redis', secret: true },
  { key: 'queue', flag: '--queue' },
];

/**
 * The carried global options `command` (or its program) got on the command line, as arguments.
 * Values from the environment are left out: the next command in the same shell gets them too.
 * A password in a URL is shown as `***`: the hint then says what to fill in rather than print it.
 */
export function givenGlobalArgs(command: Command): string[] {
  const globals = command.optsWithGlobals<Record<string, unknown>>();
  const args: string[] = [];
  for (const { key, flag, secret } of CARRIED) {
    if (command.getOptionValueSourceWithGlobals(key) !== 'cli') continue;
    const value = globals[key];
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === 'string' && v !== '') args.push(flag, secret ? hidePassword(v) : v);
    }
  }
  return args;
}

/** `workflow-mastery` and `args`, quoted for a POSIX shell. */
export function commandLine(args: readonly string[]): string {
  return ['workflow-mastery', ...args.map(shellQuote)].join(' ');
}

/** `arg` as one shell word: bare when it is plainly safe, else in single quotes. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function hidePassword(value: string): string {
  try {
    const url = new URL(value);
    if (!url.password) return value;
    url.password = '***';
    return url.toString();
  } catch {
    return value;
  }
}
