/**
 * Shared Jest settings for every workspace: ESM, ts-jest in isolatedModules mode,
 * and `@workflow-mastery/*` mapped to sources so tests need no build.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(fileURLToPath(import.meta.url));

/** @param {string} dir the workspace folder @returns {import('jest').Config} */
export function preset(dir) {
  return {
    rootDir: dir,
    displayName: path.relative(root, dir),
    testTimeout: 30000,
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.test.ts'],
    moduleNameMapper: {
      '^@workflow-mastery/core/testing$': `${root}/packages/core/src/testing/index.ts`,
      '^@workflow-mastery/core/http$': `${root}/packages/core/src/http/index.ts`,
      '^@workflow-mastery/core/storage-kit$': `${root}/packages/core/src/storage-kit/index.ts`,
      '^@workflow-mastery/testing/jest$': `${root}/packages/testing/src/jest.ts`,
      '^@workflow-mastery/sample-kit$': `${root}/samples/sample-kit/src/index.ts`,
      '^@workflow-mastery/sample-([a-z-]+)/([a-z.-]+)$': `${root}/samples/$1/src/$2.ts`,
      '^@workflow-mastery/([a-z-]+)$': `${root}/packages/$1/src/index.ts`,
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    transform: {
      '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: `${root}/tsconfig.jest.json` }],
    },
  };
}
