/** `@workflow-mastery/nestjs/bullmq`: `runner: 'bullmq'` through `@nestjs/bullmq`. */
export { WorkflowBullMQModule, type WorkflowBullMQModuleOptions } from './workflow-bullmq.module.js';
