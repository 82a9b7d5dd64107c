/** `@workflow-mastery/nestjs/bullmq`: `runner: 'bullmq'` through `@nestjs/bullmq`. */
export { WorkflowBullMQModule, type WorkflowBullMQModuleOptions, type WorkflowBullMQModuleAsyncOptions } from './workflow-bullmq.module.js';
