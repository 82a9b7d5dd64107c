/**
 * Contract suites and fixtures for the authors of storages, runners and adapters:
 * `@workflow-mastery/core/testing`. Each suite is written once and run by every implementation;
 * a capability a subject does not declare is reported as skipped, never as passed.
 */
export * from './storage-conformance.js';
export * from './fixtures.js';
export * from './http-contract.js';
export * from './dashboard-mount-contract.js';
export * from './runner-conformance.js';
export { makeStoredDefinition } from './storage-conformance-definitions.js';
export * from './payload-limit-contract.js';
