/**
 * What the samples share: a progress reporter printing one line per engine event, a driver that
 * completes human tasks as they open (from prompts or scripted decisions), and the framework
 * samples' demo auth (headers, demo tokens for the dashboard) and client of their own HTTP API.
 */
export * from './progress-reporter.js';
export * from './task-driver.js';
export * from './api-client.js';
export * from './header-auth.js';
export * from './demo-tokens.js';
export * from './serve-or-demo.js';
