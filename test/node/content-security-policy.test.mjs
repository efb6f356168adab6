// The production policy's promises that need no browser: no inline code or eval, and every public model URL
// reachable (the built app's own test checks the rest in Chromium, test/built/).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCatalog } from '../../scripts/eval/harness.mjs';
import { contentSecurityPolicy, MODEL_ORIGINS } from '../../server/content-security-policy.mjs';

const directive = (policy, name) =>
  policy
    .split(';')
    .map((part) => part.trim().split(/\s+/))
    .find(([key]) => key === name)
    ?.slice(1);

test("allows no inline script or style and no eval; 'wasm-unsafe-eval' only for the wasm backend", () => {
  const policy = contentSecurityPolicy();
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'|'unsafe-hashes'|\*/);
  assert.deepEqual(directive(policy, 'script-src'), ["'self'", "'wasm-unsafe-eval'", 'blob:']);
  assert.deepEqual(directive(policy, 'style-src'), ["'self'"]);
  assert.deepEqual(directive(policy, 'object-src'), ["'none'"]);
});

test('lets the app reach every public model URL of the catalog, and nothing else beyond its origin', async () => {
  const { MODEL_CATALOG } = await loadCatalog();
  const connect = directive(contentSecurityPolicy(), 'connect-src');
  for (const spec of MODEL_CATALOG) assert.ok(connect.includes(new URL(spec.publicUrl).origin), spec.publicUrl);
  assert.deepEqual(connect, ["'self'", ...MODEL_ORIGINS]);
});

test('the <meta> form leaves out only what a <meta> cannot carry', () => {
  assert.equal(contentSecurityPolicy(), `${contentSecurityPolicy({ forMeta: true })}; frame-ancestors 'none'`);
});
