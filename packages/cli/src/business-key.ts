/** `--business-key` and `--unique-business-key` of `start` and `run`, and the error of a taken key. */
import { BusinessKeyTakenError, type StartOptions } from '@workflow-mastery/core';
import { CliError, UsageError } from './cli-error.js';

/** The options as commander parses them. */
export interface BusinessKeyOptions {
  businessKey?: string;
  uniqueBusinessKey?: boolean;
}

/** `--business-key <key>`: flags and help, for `.option(...BUSINESS_KEY_OPTION)`. */
export const BUSINESS_KEY_OPTION = ['--business-key <key>', 'your identifier of the instance (an order number...): shown by `status` and `list`, searchable with `list --business-key`'] as const;

/** `--unique-business-key`: flags and help. */
export const UNIQUE_BUSINESS_KEY_OPTION = ['--unique-business-key', 'refuse to start while an unfinished instance of the same workflow has this business key'] as const;

/** The engine's start options for them (`--unique-business-key` needs `--business-key`). */
export function businessKeyStartOptions(opts: BusinessKeyOptions): Pick<StartOptions, 'businessKey' | 'uniqueBusinessKey'> {
  if (opts.uniqueBusinessKey && opts.businessKey === undefined) throw new UsageError('--unique-business-key needs --business-key <key>');
  if (opts.businessKey === undefined) return {};
  return { businessKey: opts.businessKey, ...(opts.uniqueBusinessKey ? { uniqueBusinessKey: true } : {}) };
}

/** `start()`, with a taken unique key reported as one line naming the instance that holds it. */
export async function startWithBusinessKey<T>(start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (!(error instanceof BusinessKeyTakenError)) throw error;
    throw new CliError(
      `business key "${error.businessKey}" of ${error.definitionName} is taken by unfinished instance ${error.instanceId}; wait until it finishes, cancel it, or start without --unique-business-key`,
      1,
      error.code,
      { cause: error },
    );
  }
}
