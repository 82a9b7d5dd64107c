/** The module's `dashboard` option beyond core's dashboard-mount contract (dashboard-mount.test.ts): its configuration errors. */
import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { WorkflowModule, WorkflowModuleConfigError } from '../src/index.js';

describe('dashboard', () => {
  it('refuses a dashboard without an API to call, and a malformed path', () => {
    expect(() => WorkflowModule.forRoot({ dashboard: { path: 'dashboard' } })).toThrow(WorkflowModuleConfigError);
    expect(() => WorkflowModule.forRoot({ dashboard: { path: 'dashboard' } })).toThrow(/pass http: \{ prefix, authorize \} too/);
    expect(() => WorkflowModule.forRoot({ http: { auth: 'none' }, dashboard: { path: 'a/../b' } })).toThrow(/dashboard.path must be a non-empty path/);
  });
});
