export { BullMQRunner } from './bullmq-runner.js';
export type { WorkOptions } from './bullmq-runner.js';
export type { BullMQRunnerOptions, DefinitionQueueOptions } from './bullmq-runner.options.js';
export { createWorker } from './create-worker.js';
export type { CreateWorkerOptions, WorkflowWorker } from './create-worker.js';
export { stepJobId, timerJobId, escapeIdPart, definitionQueueName } from './job-ids.js';
