// `npm audit --omit=dev`: no dependency the app ships may have a known high or critical advisory. It needs the
// registry's advisory service; where that cannot be reached the test skips and says why (docs/security.md).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { repoRoot } from '../../server/local-assets.mjs';

function audit() {
  return new Promise((resolve) => {
    execFile('npm', ['audit', '--omit=dev', '--json'], { cwd: repoRoot, timeout: 120_000, maxBuffer: 64 << 20 }, (error, stdout) =>
      resolve({ error, stdout }),
    );
  });
}

test('no production dependency has a known high or critical advisory', async (t) => {
  const { error, stdout } = await audit();
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    assert.fail(`npm audit printed no JSON (${error?.message ?? 'no error'})`);
  }
  if (!report.metadata) {
    // No advisory service (offline, or a registry mirror without it): nothing is known either way.
    t.skip(`npm audit could not ask the registry: ${report.message ?? report.error?.summary ?? 'no metadata in the answer'}`);
    return;
  }
  const found = Object.values(report.vulnerabilities ?? {})
    .filter((v) => v.severity === 'high' || v.severity === 'critical')
    .map((v) => `${v.name} (${v.severity}): ${v.via.map((via) => (typeof via === 'string' ? via : via.title)).join('; ')}`);
  t.diagnostic(`advisories by severity: ${JSON.stringify(report.metadata.vulnerabilities)}`);
  assert.deepEqual(found, []);
});
