#!/usr/bin/env node
// Browser tests of `focus serve` in Debian's headless Chromium:
//   - axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation on any page of the
//     public site or the facilitator board (seeded with tickets in every
//     state, due-soon and breached ones among them), nor on the board showing
//     a validation error;
//   - a facilitator signs in, adds a ticket and moves it with the keyboard
//     alone, every focused control showing focus, and the database (read
//     through the CLI) records it under their account;
//   - pages reflow at a 360px-wide viewport without horizontal scrolling.
//
// Usage: node tests/browser/run.js PATH_TO_FOCUS
// Needs `npm ci --prefix tests/browser` (scripts/run-tests does it) and
// /usr/bin/chromium (or $FOCUS_CHROMIUM).
'use strict';

const assert = require('node:assert/strict');
const { after, before, describe, test } = require('node:test');

try {
  require.resolve('playwright-core');
  require.resolve('axe-core');
} catch {
  console.error('tests/browser/node_modules is missing: run ' +
                '`npm ci --no-audit --no-fund --prefix tests/browser` first');
  process.exit(1);
}
const { FocusInstance } = require('./lib/focus');
const {
  formatIncomplete, formatViolations, launchBrowser, runAxe, tabTo,
} = require('./lib/browser');

const FOCUS_BINARY = process.argv[2];
if (!FOCUS_BINARY) {
  console.error('usage: node run.js PATH_TO_FOCUS');
  process.exit(2);
}

// A Monday; tickets raised weeks before it are breached or due soon.
const TODAY = '2027-03-01';
const FACILITATOR = { name: 'sam', role: 'facilitator', password: 'correct horse battery staple' };
const NARROW = { width: 360, height: 740 };
// Pages reached from the start pages are checked too, up to this many.
const MAX_PAGES = 30;

let focus;
let browser;

// Tickets in every state the board shows, through the CLI, as a facilitator
// would have left them after a few forums.
function seedBoard() {
  const ticket = (title, extra = {}) => focus.addTicket({
    title, area: 'East Surrey', themes: ['communication'], team: 'CMHRS East Surrey',
    details: 'Raised in part 2 of the forum.', ...extra,
  });
  const answered = ticket('Letters arrive after appointments', { date: '2027-01-04', raisedBy: 3 });
  focus.run(['board', 'move', String(answered), 'sent-to-trust']);
  focus.run(['board', 'answer', String(answered), '--text',
             'Letters now go out ten working days before the appointment.',
             '--by', 'Head of Community Services']);

  const doing = ticket('No quiet room in the waiting area', {
    date: '2027-01-05', area: 'Surrey Downs', themes: ['environment', 'access'],
    team: 'Estates and Facilities',
  });
  focus.run(['board', 'move', String(doing), 'sent-to-trust']);
  focus.run(['board', 'answer', String(doing), '--in-progress', '--text',
             'A quiet room is being fitted out at the Leatherhead clinic.',
             '--by', 'Estates manager']);

  // Raised in January, never answered: past its answer date.
  const breached = ticket('Crisis line calls go unanswered at night', {
    date: '2027-01-20', themes: ['crisis care'], team: 'Crisis Line',
  });
  focus.run(['board', 'move', String(breached), 'sent-to-trust']);
  // Raised 15 working days ago: due within five working days.
  const dueSoon = ticket('Carers not told about discharge', {
    date: '2027-02-08', themes: ['carers', 'discharge'], team: 'Inpatient Services',
  });
  focus.run(['board', 'move', String(dueSoon), 'sent-to-trust']);
  const waiting = ticket('Medication reviews are rushed', {
    date: '2027-02-15', themes: ['medication'], team: 'Pharmacy',
  });
  focus.run(['board', 'move', String(waiting), 'sent-to-trust']);
  focus.run(['board', 'move', String(waiting), 'waiting-for-forum', '--reason',
             'Which clinics does this happen at?']);
  const escalated = ticket('Care plans are not shared with carers', {
    date: '2027-02-01', themes: ['care planning', 'carers'], team: 'CMHRS Surrey Downs',
  });
  focus.run(['board', 'move', String(escalated), 'sent-to-trust']);
  focus.run(['board', 'move', String(escalated), 'escalated']);
  const declined = ticket('Bus stop outside the hospital has no shelter', {
    date: '2027-02-01', themes: ['other'], team: 'Estates and Facilities',
  });
  focus.run(['board', 'move', String(declined), 'sent-to-trust']);
  focus.run(['board', 'move', String(declined), 'declined', '--reason',
             'Outside the Trust\'s remit: passed to the county council.']);
  const repeat = ticket('Appointment letters come too late', { date: '2027-02-15' });
  focus.run(['board', 'merge', String(repeat), '--into', String(answered)]);
  ticket('Staff were kind at the drop-in', {
    date: TODAY, themes: ['staff attitude'], team: 'PALS',
  });
  return { answered, breached, dueSoon };
}

async function signInWithMouse(context) {
  const page = await context.newPage();
  await page.goto(`${focus.baseUrl}/login`);
  await loginFields(page).name.fill(FACILITATOR.name);
  await loginFields(page).password.fill(FACILITATOR.password);
  await Promise.all([page.waitForNavigation(), loginFields(page).submit.click()]);
  assert.ok(!new URL(page.url()).pathname.startsWith('/login'),
            `sign-in failed: still on ${page.url()}`);
  return page;
}

function loginFields(page) {
  return {
    name: page.getByLabel(/^\s*(account|account name|user ?name|name)\s*$/i),
    password: page.getByLabel(/^\s*password\s*$/i),
    submit: page.getByRole('button', { name: /^(sign in|log in)$/i }),
  };
}

// axe-core on the page as loaded now; fails with every violation listed.
async function assertNoViolations(page, label) {
  const { violations, incomplete } = await runAxe(page);
  if (incomplete.length) console.log(formatIncomplete(label, incomplete));
  assert.equal(violations.length, 0, `\n${formatViolations(label, violations)}`);
}

// Same-origin HTML pages linked from `page`, without the API, feeds, and
// anything that would sign out.
async function linkedPages(page) {
  const origin = new URL(page.url()).origin;
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
  return hrefs.map((h) => new URL(h)).filter((u) =>
    u.origin === origin && !u.pathname.startsWith('/api/') &&
    !/\.(ics|json|css|js|png|svg|ico)$/.test(u.pathname) &&
    !/log-?out|sign-?out/i.test(u.pathname))
    .map((u) => u.pathname + u.search);
}

// Checks each start page and the pages they link to, one subtest per page.
async function checkSite(t, page, starts) {
  const seen = new Set();
  const queue = [...starts];
  while (queue.length && seen.size < MAX_PAGES) {
    const path = queue.shift();
    if (seen.has(path)) continue;
    seen.add(path);
    await t.test(`GET ${path}`, async () => {
      const response = await page.goto(`${focus.baseUrl}${path}`);
      assert.equal(response.status(), 200, `GET ${path}`);
      if (!/text\/html/.test(response.headers()['content-type'] || '')) return;
      await assertNoViolations(page, `GET ${path}`);
      for (const next of await linkedPages(page)) if (!seen.has(next)) queue.push(next);
    });
  }
}

// Chooses the option matching `wanted` in a focused <select> with the arrow
// keys, as a keyboard user would.
async function chooseWithArrows(page, select, wanted) {
  const options = await select.evaluate((el) => [...el.options].map((o) => `${o.value}\t${o.text}`));
  const target = options.findIndex((o) => wanted.test(o));
  assert.notEqual(target, -1, `no option matching ${wanted} in ${options.join(', ')}`);
  for (let i = 0; i <= options.length; i++) {
    const current = await select.evaluate((el) => el.selectedIndex);
    if (current === target) return;
    await page.keyboard.press(current < target ? 'ArrowDown' : 'ArrowUp');
  }
  assert.fail(`could not reach option ${wanted} with the arrow keys`);
}

// Fills one labelled form control with the keyboard: text is typed, a select
// is set with the arrow keys, a group of checkboxes is ticked with Space.
async function enterWithKeyboard(page, label, value, problems) {
  const group = page.getByRole('group', { name: label, exact: true });
  if (await group.count() === 1) {
    for (const item of [].concat(value)) {
      const box = group.getByRole('checkbox', { name: item, exact: true });
      await tabTo(page, box, { problems });
      if (!await box.isChecked()) await page.keyboard.press('Space');
      assert.ok(await box.isChecked(), `${label}: "${item}" not ticked by Space`);
    }
    return;
  }
  const control = page.getByLabel(label, { exact: true });
  assert.equal(await control.count(), 1, `exactly one control labelled "${label}"`);
  await tabTo(page, control, { problems });
  const tag = await control.evaluate((el) => el.tagName.toLowerCase());
  if (tag === 'select') {
    const values = [].concat(value);
    assert.equal(values.length, 1, `${label}: one value per select here`);
    await chooseWithArrows(page, control, new RegExp(`(^|\\t)${values[0]}$`, 'i'));
  } else {
    await page.keyboard.type([].concat(value).join(', '));
  }
}

before(async () => {
  focus = new FocusInstance(FOCUS_BINARY, { today: TODAY });
  focus.init();
  focus.addAccount(FACILITATOR.name, FACILITATOR.role, FACILITATOR.password);
  seedBoard();
  await focus.startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (focus) await focus.dispose();
});

describe('axe-core: WCAG 2.2 AA, zero violations', () => {
  test('public site', async (t) => {
    const context = await browser.newContext();
    try {
      await checkSite(t, await context.newPage(), ['/', '/answers', '/login']);
    } finally {
      await context.close();
    }
  });

  test('facilitator board', async (t) => {
    const context = await browser.newContext();
    try {
      const page = await signInWithMouse(context);
      await checkSite(t, page, ['/board']);
    } finally {
      await context.close();
    }
  });

  test('board showing a validation error', async () => {
    const context = await browser.newContext();
    try {
      const page = await signInWithMouse(context);
      await page.goto(`${focus.baseUrl}/board`);
      const before = focus.tickets().length;
      const title = page.getByLabel('Title', { exact: true });
      await title.fill('Ring Jo on jo.bloggs@example.org about her letters');
      await page.getByLabel('Details', { exact: true }).fill('She asked us to follow up.');
      await fillSelectOrText(page.getByLabel('Area', { exact: true }), 'East Surrey');
      await fillThemes(page, 'communication');
      await fillSelectOrText(page.getByLabel('Team', { exact: true }), 'CMHRS East Surrey');
      await Promise.all([page.waitForNavigation(),
                         page.getByRole('button', { name: 'Add ticket', exact: true }).click()]);
      assert.equal(focus.tickets().length, before, 'the screened ticket must not be stored');

      // The message is tied to the field: in its description (or name), and
      // the field is marked invalid.
      const field = page.getByLabel('Title', { exact: true });
      const tied = await field.evaluate((el) => {
        const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
        const described = ids.map((id) => document.getElementById(id)?.textContent || '').join(' ');
        const labelled = [...(el.labels || [])].map((l) => l.textContent).join(' ');
        return { text: `${described} ${labelled}`.replace(/\s+/g, ' '),
                 invalid: el.getAttribute('aria-invalid') };
      });
      assert.match(tied.text, /e-?mail/i,
                   'the Title field\'s description or label must carry the screening message');
      assert.equal(tied.invalid, 'true', 'the Title field must have aria-invalid="true"');
      await assertNoViolations(page, 'board after a refused add');
    } finally {
      await context.close();
    }
  });
});

async function fillSelectOrText(control, value) {
  if (await control.evaluate((el) => el.tagName.toLowerCase()) === 'select') {
    const wanted = new RegExp(`^${value}$`, 'i');
    const options = await control.evaluate((el) => [...el.options].map((o) => [o.value, o.text]));
    const match = options.find(([v, text]) => wanted.test(v) || wanted.test(text));
    assert.ok(match, `no option ${value}`);
    await control.selectOption(match[0]);
  } else {
    await control.fill(value);
  }
}

async function fillThemes(page, theme) {
  const group = page.getByRole('group', { name: 'Themes', exact: true });
  if (await group.count() === 1) {
    await group.getByRole('checkbox', { name: theme, exact: true }).check();
  } else {
    await fillSelectOrText(page.getByLabel('Themes', { exact: true }), theme);
  }
}

describe('keyboard only', () => {
  let context;
  let page;
  let ticketId;
  const title = 'Hearing loop at the Guildford Institute is broken';
  const focusProblems = [];

  before(async () => {
    context = await browser.newContext();
    page = await context.newPage();
  });
  after(async () => { await context.close(); });

  test('sign in', async () => {
    await page.goto(`${focus.baseUrl}/login`);
    const { name, password, submit } = loginFields(page);
    await tabTo(page, name, { problems: focusProblems });
    await page.keyboard.type(FACILITATOR.name);
    await tabTo(page, password, { problems: focusProblems });
    await page.keyboard.type(FACILITATOR.password);
    await tabTo(page, submit, { problems: focusProblems });
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    await page.goto(`${focus.baseUrl}/board`);
    assert.equal(new URL(page.url()).pathname, '/board', 'signed in, the board opens');
    assert.equal(await page.getByLabel('Title', { exact: true }).count(), 1,
                 'the board shows the add-ticket form once signed in');
  });

  test('add a ticket', async () => {
    await enterWithKeyboard(page, 'Title', title, focusProblems);
    await enterWithKeyboard(page, 'Details', 'The loop in the main hall has not worked since January.',
                            focusProblems);
    await enterWithKeyboard(page, 'Area', 'Guildford & Waverley', focusProblems);
    await enterWithKeyboard(page, 'Themes', ['access'], focusProblems);
    await enterWithKeyboard(page, 'Team', 'Estates and Facilities', focusProblems);
    await tabTo(page, page.getByRole('button', { name: 'Add ticket', exact: true }),
                { problems: focusProblems });
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

    const added = focus.tickets().filter((t) => t.title === title);
    assert.equal(added.length, 1, `one ticket titled "${title}" in the database`);
    ticketId = added[0].id;
    const stored = focus.ticket(ticketId);
    assert.equal(stored.state, 'raised');
    assert.equal(stored.area_slug, 'guildford-waverley');
    assert.deepEqual(stored.themes, ['access']);
    assert.equal(stored.team, 'Estates and Facilities');
    assert.ok(stored.history.length > 0, 'the new ticket has history');
    for (const h of stored.history) assert.equal(h.actor, FACILITATOR.name, `history actor: ${JSON.stringify(h)}`);
  });

  test('move the ticket to "Sent to the Trust"', async () => {
    assert.ok(ticketId, 'needs the ticket added in the previous test');
    const select = page.getByLabel(`Move ticket ${ticketId} to`, { exact: true });
    await tabTo(page, select, { problems: focusProblems });
    await chooseWithArrows(page, select, /^sent-to-trust\t|\tsent to the trust$/i);
    const form = select.locator('xpath=ancestor::form[1]');
    await tabTo(page, form.getByRole('button', { name: 'Move', exact: true }), { problems: focusProblems });
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

    const stored = focus.ticket(ticketId);
    assert.equal(stored.state, 'sent-to-trust');
    const moves = stored.history.filter((h) => h.field === 'state');
    assert.ok(moves.length > 0, 'the move is in the history');
    assert.equal(moves.at(-1).new, 'sent-to-trust');
    assert.equal(moves.at(-1).actor, FACILITATOR.name);
  });

  test('every control that took focus showed it', () => {
    assert.deepEqual([...new Set(focusProblems)], []);
  });
});

describe(`reflow at ${NARROW.width}px: no horizontal scrolling`, () => {
  const fits = async (page, path) => {
    const response = await page.goto(`${focus.baseUrl}${path}`);
    assert.equal(response.status(), 200, `GET ${path}`);
    const { scrollWidth, clientWidth, widest } = await page.evaluate(() => {
      const root = document.scrollingElement;
      // The element reaching furthest right, to say what to fix.
      let widest = null;
      for (const el of document.body.querySelectorAll('*')) {
        const right = el.getBoundingClientRect().right;
        if (right > root.clientWidth && (!widest || right > widest.right)) {
          widest = { right, html: el.outerHTML.slice(0, 200) };
        }
      }
      return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest };
    });
    assert.ok(scrollWidth <= clientWidth,
              `${path} is ${scrollWidth}px wide in a ${clientWidth}px viewport; widest: ` +
              `${widest ? `${Math.round(widest.right)}px ${widest.html}` : 'unknown'}`);
  };

  test('board', async () => {
    const context = await browser.newContext({ viewport: NARROW });
    try {
      const page = await signInWithMouse(context);
      await fits(page, '/board');
    } finally {
      await context.close();
    }
  });

  test('public pages', async () => {
    const context = await browser.newContext({ viewport: NARROW });
    try {
      const page = await context.newPage();
      for (const path of ['/', '/answers', '/login']) await fits(page, path);
    } finally {
      await context.close();
    }
  });

  // The signed-in ticket page, history table included, on the narrowest
  // phone WCAG's reflow criterion names (320 CSS pixels).
  test('ticket page at 320px', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    try {
      const page = await signInWithMouse(context);
      const id = focus.tickets()[0].id;
      await fits(page, `/board/tickets/${id}`);
    } finally {
      await context.close();
    }
  });
});
