// The `focus` binary under test: a throw-away database in a temp dir, the
// CLI to seed and check it, and `focus serve` on a free localhost port.
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..', '..');

// A free localhost port: bind port 0, read what the kernel chose, release it.
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function httpStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => req.destroy());
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class FocusInstance {
  // binary: path to the built `focus`; today: FOCUS_TODAY for the CLI and
  // the server, so due-soon and breached marks do not depend on the real date.
  constructor(binary, { today, config = path.join(REPO, 'config', 'focus.yaml') } = {}) {
    this.binary = path.resolve(binary);
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'focus_browser_'));
    this.db = path.join(this.tmp, 'focus.db');
    this.env = { ...process.env, FOCUS_CONFIG: config, FOCUS_DB: this.db, FOCUS_USER: 'seed' };
    if (today) this.env.FOCUS_TODAY = today;
    delete this.env.SOURCE_DATE_EPOCH;
    this.server = null;
    this.serverLog = '';
    this.baseUrl = null;
  }

  // Runs `focus ARGS`; throws with the command's stderr unless it exits 0
  // (or `expectStatus` when given).
  run(args, { input, expectStatus = 0 } = {}) {
    const result = spawnSync(this.binary, args, {
      env: this.env, input, encoding: 'utf8', timeout: 60000,
    });
    if (result.error) throw result.error;
    if (result.status !== expectStatus) {
      throw new Error(`focus ${args.join(' ')} exited ${result.status} ` +
                      `(expected ${expectStatus})\n${result.stdout}${result.stderr}`);
    }
    return result.stdout;
  }

  json(args) {
    return JSON.parse(this.run([...args, '--json']));
  }

  init() {
    this.run(['init']);
  }

  // `focus account add NAME --role ROLE`, the password on stdin.
  addAccount(name, role, password) {
    this.run(['account', 'add', name, '--role', role], { input: `${password}\n` });
  }

  // `focus board add`; returns the new ticket's id.
  addTicket({ title, area, themes, team, details, date, raisedBy }) {
    const args = ['board', 'add', '--title', title, '--area', area, '--team', team];
    for (const theme of themes) args.push('--theme', theme);
    if (details) args.push('--details', details);
    if (date) args.push('--date', date);
    if (raisedBy) args.push('--raised-by', String(raisedBy));
    return this.json(args).id;
  }

  ticket(id) {
    return this.json(['board', 'show', String(id)]);
  }

  tickets() {
    return this.json(['board', 'list', '--all']);
  }

  async startServer({ timeoutMs = 20000 } = {}) {
    const port = await freePort();
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.server = spawn(this.binary, ['serve', '--port', String(port)], {
      env: this.env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk) => { this.serverLog = (this.serverLog + chunk).slice(-20000); };
    this.server.stdout.on('data', keep);
    this.server.stderr.on('data', keep);
    let exited = null;
    this.server.on('exit', (code, signal) => { exited = { code, signal }; });
    // Never leave a server behind, even when the runner itself dies.
    this.killOnExit = () => { if (this.server && exited === null) this.server.kill('SIGKILL'); };
    process.on('exit', this.killOnExit);

    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (exited) {
        throw new Error(`focus serve exited (${exited.code ?? exited.signal}) before ` +
                        `answering:\n${this.serverLog}`);
      }
      if (await httpStatus(`${this.baseUrl}/`) === 200) return this.baseUrl;
      await sleep(100);
    }
    throw new Error(`focus serve did not answer on ${this.baseUrl} within ` +
                    `${timeoutMs} ms:\n${this.serverLog}`);
  }

  async stopServer() {
    const server = this.server;
    if (!server) return;
    this.server = null;
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    process.removeListener('exit', this.killOnExit);
  }

  async dispose() {
    await this.stopServer();
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

module.exports = { FocusInstance, freePort, REPO };
