// Debian's Chromium driven by playwright-core, axe-core checks, and
// keyboard-only helpers.
'use strict';

const fs = require('node:fs');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.FOCUS_CHROMIUM || '/usr/bin/chromium';

// The network here is closed and the profile must start clean: no background
// fetches, no updates, no sync. playwright-core gives every launch a fresh
// temporary --user-data-dir of its own and removes it on close.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium package ` +
                    '(scripts/install-deps --tests does)');
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

// The WCAG 2.0, 2.1 and 2.2 A and AA rules of axe-core.
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Runs axe-core in the page as it is now. Evaluated through the DevTools
// protocol rather than a <script> tag, so the page's Content-Security-Policy
// applies to the page only, not to the checker.
async function runAxe(page) {
  const loaded = await page.evaluate(`${AXE_SOURCE}\n;typeof window.axe`);
  if (loaded !== 'object') throw new Error(`axe-core did not load in ${page.url()}`);
  return page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations', 'incomplete'],
  }).then((r) => ({
    // Only what the report needs: the full result holds DOM-sized blobs.
    violations: r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
      nodes: v.nodes.map((n) => ({
        target: n.target, html: n.html, failureSummary: n.failureSummary,
      })),
    })),
    incomplete: r.incomplete.map((v) => ({
      id: v.id, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html })),
    })),
  })), AXE_TAGS);
}

function formatTarget(target) {
  return target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' | ');
}

// One block per violation a developer can act on: rule, impact, what it
// asks for, and every element it failed on with axe's reasons.
function formatViolations(label, violations) {
  const lines = [`${label}: ${violations.length} axe-core violation(s)`];
  for (const v of violations) {
    lines.push(`  [${v.impact}] ${v.id}: ${v.help}`, `    ${v.helpUrl}`);
    for (const n of v.nodes) {
      lines.push(`    - element: ${formatTarget(n.target)}`);
      lines.push(`      html:    ${n.html.replace(/\s+/g, ' ').slice(0, 300)}`);
      for (const reason of (n.failureSummary || '').split('\n')) {
        if (reason.trim()) lines.push(`      ${reason.trim()}`);
      }
    }
  }
  return lines.join('\n');
}

function formatIncomplete(label, incomplete) {
  const lines = [`${label}: ${incomplete.length} axe-core check(s) need a human eye`];
  for (const v of incomplete) {
    lines.push(`  ${v.id}: ${v.help}`);
    for (const n of v.nodes) lines.push(`    - ${formatTarget(n.target)}`);
  }
  return lines.join('\n');
}

// What has keyboard focus now, described for messages, with whether it shows
// a focus indicator: a computed outline or box-shadow that is not "none",
// and a non-empty box inside the page.
async function describeFocus(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) {
      return { none: true, text: '<body>' };
    }
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
    const shadow = cs.boxShadow !== 'none' && cs.boxShadow !== '';
    const box = el.getBoundingClientRect();
    const name = (el.getAttribute('aria-label') ||
                  (el.labels && el.labels[0] && el.labels[0].textContent) ||
                  el.textContent || el.value || '').replace(/\s+/g, ' ').trim().slice(0, 60);
    return {
      none: false,
      text: `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}` +
            `${el.type ? ` type=${el.type}` : ''}> "${name}"`,
      indicator: outline || shadow,
      style: `outline: ${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}; ` +
             `box-shadow: ${cs.boxShadow}`,
      visible: box.width > 0 && box.height > 0,
    };
  });
}

// Presses Tab (or Shift+Tab) until `locator` has focus, checking on the way
// that every control that takes focus shows it. Returns the number of
// presses. `problems` collects focus-indicator failures.
async function tabTo(page, locator, { max = 200, problems = [], key = 'Tab' } = {}) {
  const target = await locator.elementHandle();
  if (!target) throw new Error(`tabTo: ${locator} is not on the page`);
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press(key);
    const focus = await describeFocus(page);
    if (!focus.none) {
      if (!focus.indicator) problems.push(`no visible focus indicator on ${focus.text} (${focus.style})`);
      if (!focus.visible) problems.push(`focused element has no visible box: ${focus.text}`);
    }
    if (await target.evaluate((el) => el === document.activeElement)) return presses;
  }
  throw new Error(`tabTo: ${locator} not reached after ${max} presses of ${key}`);
}

module.exports = {
  AXE_TAGS, CHROMIUM_ARGS, describeFocus, formatIncomplete, formatViolations,
  launchBrowser, runAxe, tabTo,
};
