/** One Jest run over every package; TypeScript sources are tested directly through ts-jest. */
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json', diagnostics: false }];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/examples', '<rootDir>/scripts', '<rootDir>/consumer', '<rootDir>/bench'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': tsJest },
  moduleNameMapper: {
    '^@recurrent/(kernels|core|cli)$': '<rootDir>/packages/$1/src',
    '^@recurrent/core/testing$': '<rootDir>/packages/core/src/testing',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 120000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/scripts/jest-summary-line.js'],
};
