import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const dist = fileURLToPath(new URL('./dist/', import.meta.url));

/**
 * `npm run test:fast` leaves out the suites that kill, race or spawn processes, the property
 * suites and the browser: what is left runs in well under a minute while working on a change.
 * `npm test` (CI, the README) runs everything.
 */
const SLOW_SUITES = ['test/**/kill.test.ts', 'test/**/*.process.test.ts', 'test/property/**', 'test/**/browser.test.ts'];

export default defineConfig({
  resolve: {
    // Tests import the modules under src/ but run the build in dist/ (npm test builds first): the
    // code under test is the code that ships, and worker threads, which load plain JavaScript,
    // find their modules beside the stage that starts them.
    alias: [{ find: /^(?:\.\.\/)+src\/(.*)\.js$/, replacement: `${dist}$1.js` }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: process.env.ANALYSE_TEST_FAST === '1' ? SLOW_SUITES : [],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
