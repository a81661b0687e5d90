/**
 * `node dist/test/helpers/build-fixtures.js`: builds the fixture libraries (if their sources
 * changed) and prints what it did. Run by `npm test` before ava.
 */
import { ensureFixtures, fixtureBuildReports } from './fixture.js';

const paths = ensureFixtures();
for (const report of fixtureBuildReports()) {
  process.stdout.write(`fixture ${report.fixture}: ${report.action} in ${report.millis} ms (sources ${report.hash.slice(0, 12)})\n`);
}
for (const [short, pkg] of Object.entries(paths)) {
  process.stdout.write(`  ${short}: ${pkg.name}@${pkg.version}\n    dir     ${pkg.packageDir}\n    tarball ${pkg.tarball}\n`);
}
