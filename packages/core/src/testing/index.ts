/** Helpers for testing workflows and storage adapters: `@workflow-mastery/core/testing`. */
export * from './storage-conformance.js';
export * from './fixtures.js';
export * from './http-contract.js';
export * from './runner-conformance.js';
