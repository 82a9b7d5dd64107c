/**
 * What the samples share: a progress reporter printing one line per engine event, and a driver that
 * completes human tasks as they open (from prompts or scripted decisions).
 */
export * from './progress-reporter.js';
export * from './task-driver.js';
