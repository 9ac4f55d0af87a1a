import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** Impacts that fail a test: what keeps someone from reading or operating the screen. */
const FAILING_IMPACTS = new Set(['serious', 'critical']);

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  helpUrl: string;
  /** One entry per offending element: its selector and what axe says is wrong with it. */
  nodes: { target: string; summary: string }[];
}

/**
 * Runs axe-core on the whole document as it is now and returns its serious and critical violations.
 * The source goes in through evaluate rather than a script tag, so a Content-Security-Policy that
 * forbids inline scripts cannot keep it out.
 */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  await settleAnimations(page);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const results = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? 'unknown',
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: violation.nodes.map((node) => ({ target: node.target.join(' '), summary: node.failureSummary ?? '' })),
    }));
  });
  return violations.filter((violation) => FAILING_IMPACTS.has(violation.impact));
}

/**
 * Checks screen after screen and fails once at the end with every problem found, so one run shows
 * all the screens that need fixing rather than only the first.
 */
export function accessibilityAudit() {
  const reports: string[] = [];
  return {
    async check(page: Page, screen: string): Promise<void> {
      const violations = await seriousViolations(page);
      if (violations.length > 0) reports.push(describeViolations(screen, violations));
    },
    assertClean(): void {
      if (reports.length > 0) throw new Error(reports.join('\n\n'));
    },
  };
}

export function describeViolations(screen: string, violations: AxeFinding[]): string {
  const lines = [`${screen}: ${violations.length} serious or critical accessibility violation(s)`];
  for (const violation of violations) {
    lines.push(`- ${violation.id} (${violation.impact}): ${violation.help} ${violation.helpUrl}`);
    for (const node of violation.nodes) {
      lines.push(`    ${node.target}`);
      if (node.summary) lines.push(`      ${node.summary.replace(/\n\s*/g, '\n      ')}`);
    }
  }
  return lines.join('\n');
}

/** Contrast is measured on what is painted, so a dialog still fading in would read as too faint. */
async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getTiming().iterations !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
}
