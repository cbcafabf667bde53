// The test runner itself: a spec or hook that times out while the generator runs in-process fails
// alone; it must not crash mocha (Node 24.22+ once turned this into "done() called multiple times"
// and an abort of the whole run). Runs under whichever Node.js runs the suite.
import assert from 'node:assert/strict';
import { execa } from 'execa';

const REPO = new URL('..', import.meta.url).pathname;
const FIXTURE = new URL('./fixtures/runner/timeouts.fixture.ts', import.meta.url).pathname;

describe('the test runner', function () {
  this.timeout(120_000);

  it('fails a spec or hook that times out and runs every other spec', async () => {
    const result = await execa(
      process.execPath,
      [
        `${REPO}node_modules/esmocha/dist/bin.cjs`,
        '--no-config',
        '--extension',
        'ts',
        '--reporter',
        'spec',
        '--require',
        'yeoman-test/mocha-cleanup',
        '--require',
        `${REPO}test/support/test-adapter.ts`,
        FIXTURE,
      ],
      { cwd: REPO, reject: false, all: true, env: { NO_COLOR: '1' } },
    );
    assert.equal(result.exitCode, 2, `mocha's exit code is the number of failures:\n${result.all}`);
    assert.match(result.all, /^ {2}2 passing/m, result.all);
    assert.match(result.all, /^ {2}2 failing/m, result.all);
    assert.match(result.all, /"before all" hook[^\n]*:\n\s+Error: Timeout of 20ms exceeded/, result.all);
    assert.match(result.all, /a spec that times out\n\s+fails:\n\s+Error: Timeout of 20ms exceeded/, result.all);
    assert.doesNotMatch(result.all, /done\(\) called multiple times|AbortError|Uncaught/, result.all);
  });
});
