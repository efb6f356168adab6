/**
 * Accessibility checks with axe-core, run where the tests render the real elements (shadow roots included).
 * Fails with each rule broken and the elements that break it, so the report says what to fix.
 */
import { expect } from '@open-wc/testing';
import axe from 'axe-core';

/** axe-core's violations inside `element` (shadow roots included), one line each, for an assertion message. */
export async function accessibilityViolations(element: Element): Promise<string[]> {
  const results = await axe.run(element, { resultTypes: ['violations'] });
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export async function expectNoAxeViolations(context: Element | Document = document, what = 'the page'): Promise<void> {
  const results = await axe.run(context, { resultTypes: ['violations'] });
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact ?? 'unknown impact'}): ${v.help}\n    ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('\n    ')}`,
  );
  expect(found, `axe found in ${what}:\n  ${found.join('\n  ')}`).to.deep.equal([]);
}
