// axe-core's serious and critical violations on the page as drawn now (issue 18 item 15). axe's
// source is evaluated into the page over CDP, so the desk's CSP stays as it is. Each violation is one
// line: the screen, the rule, how many elements and the first three of them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { keepShot } from './shots';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function seriousViolations(page: Page, label: string): Promise<string[]> {
  await page.evaluate(() => document.fonts.ready);
  await keepShot(page, `a11y-${label}`);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} ×${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  return found.map((f) => `${label}: ${f}`);
}
