/** The exit code an instance's state maps to. */
import type { InstanceRecord } from '@workflow-mastery/core';
import { ExitCode } from './cli-error.js';

/** 1 when FAILED or CANCELLED; 0 otherwise (COMPLETED, or waiting for a task or signal). */
export function exitCodeOf(inst: InstanceRecord): number {
  return inst.state === 'FAILED' || inst.state === 'CANCELLED' ? ExitCode.Failure : ExitCode.Ok;
}
