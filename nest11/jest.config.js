/**
 * The Nest 11 leg (`npm run test:nest11`): the library's e2e suites with every `@nestjs/*` import
 * (from the tests, the library and the sample alike) and rxjs served from nest11/node_modules,
 * where `npm ci --prefix nest11` installs @nestjs/* 11 and @nestjs/config 4.
 */
import base from '../jest.config.js';

export default {
  ...base,
  rootDir: '..',
  displayName: 'nest11',
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/consumers/templates/', '<rootDir>/test/docs/.snippets/'],
  testMatch: ['**/*.e2e-spec.ts'],
  moduleNameMapper: {
    '^(@nestjs/[^/]+|rxjs)(/.*)?$': '<rootDir>/nest11/node_modules/$1$2',
    ...base.moduleNameMapper,
  },
};
