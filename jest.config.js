/** Runs every workspace's tests: `npm test`. Each workspace has its own jest.config.js. */
export default {
  projects: ['<rootDir>/packages/*/jest.config.js', '<rootDir>/samples/*/jest.config.js'],
};
