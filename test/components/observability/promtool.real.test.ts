import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { installed } from '../../support/installed';
import { objectsOf } from '../../support/platform';

/** `promtool` comes with Debian's `prometheus` package; a machine without it skips this check (README "Telemetry"). */
const hasPromtool = installed('promtool', ['--version']);

// CI installs promtool and sets REQUIRE_PROMTOOL, so there the check runs or fails, never skips.
const required = process.env.REQUIRE_PROMTOOL === '1';

describe('promtool is where CI promised it', () => {
  it.runIf(required)('is installed (.ci/run installs Debian\'s prometheus package)', () => {
    expect(hasPromtool).toBe(true);
  });
});

describe.skipIf(!hasPromtool)('promtool check rules (skipped: promtool not installed; apt-get install prometheus)', () => {
  it('accepts every environment\'s PrometheusRule groups', () => {
    for (const env of ['dev', 'staging', 'prod'] as const) {
      for (const o of objectsOf(env).filter((x) => x.object.kind === 'PrometheusRule')) {
        const file = join(mkdtempSync(join(tmpdir(), 'suoke-rules-')), 'rules.yaml');
        writeFileSync(file, stringify({ groups: o.object.spec.groups }));
        expect(() => execFileSync('promtool', ['check', 'rules', file], { stdio: 'pipe' })).not.toThrow();
      }
    }
  });
});
