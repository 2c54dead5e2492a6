/** @type {import('jest').Config} */
const shared = {
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tab/tsconfig.json' }] },
};

module.exports = {
  testTimeout: 30000,
  maxWorkers: 2,
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  projects: [
    {
      displayName: 'api',
      testEnvironment: 'node',
      roots: ['<rootDir>/tests/api', '<rootDir>/tests/bot', '<rootDir>/tests/app-package'],
      // The adaptivecards package's main is ES modules; its UMD build loads in CommonJS.
      moduleNameMapper: { '^adaptivecards$': '<rootDir>/node_modules/adaptivecards/dist/adaptivecards.js' },
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
      // nock's interceptors live on the global scope across a test file's teardown.
      testEnvironmentOptions: { globalsCleanup: 'off' },
    },
    {
      ...shared,
      displayName: 'tab',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/tests/tab'],
      testMatch: ['**/*.test.tsx', '**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/tests/tab/support/setup.ts'],
    },
    {
      ...shared,
      displayName: 'browser',
      testEnvironment: 'node',
      // The built app as npm start runs it: in Chromium, and as several instances on one database.
      roots: ['<rootDir>/tests/browser', '<rootDir>/tests/server'],
      testMatch: ['**/*.test.ts'],
    },
  ],
};
