import axe from 'axe-core';

/** axe-core's violations inside `element` (shadow roots included), one line each, for an assertion message. */
export async function accessibilityViolations(element: Element): Promise<string[]> {
  const results = await axe.run(element, { resultTypes: ['violations'] });
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}
