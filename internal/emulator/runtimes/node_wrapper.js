// Instance process of the fgs-emulator for Node.js runtimes.
// Protocol: one JSON object per line; requests on fd 3, answers on fd 4, so that the
// function's own stdout/stderr never mix with the protocol. The first request is the
// instance configuration; the wrapper answers "ready" once the handler is loaded and the
// initializer (if any) ran. Then each "invoke" gets "log" lines and one "result".
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');

let currentID = '';
const send = (msg) => fs.writeSync(4, JSON.stringify(msg) + '\n');
const capture = (text) => {
  if (text !== undefined && text !== null && String(text) !== '') {
    send({ type: 'log', id: currentID, text: String(text) });
  }
  return true;
};
process.stdout.write = capture;
process.stderr.write = capture;

const now = () => new Date().toISOString();

function logger(requestID) {
  const log = (level) => (...args) => capture(`${now()} ${requestID} ${level} ${args.join(' ')}\n`);
  return { info: log('INFO'), warn: log('WARN'), error: log('ERROR'), debug: log('DEBUG') };
}

// The context object of the FunctionGraph Node.js handler contract.
function makeContext(meta, requestID, deadlineMs, alias) {
  return {
    getRequestID: () => requestID,
    getRemainingTimeInMilliSeconds: () => Math.max(0, Math.floor(deadlineMs - Date.now())),
    getUserData: (key) => meta.user_data[key],
    getFunctionName: () => meta.function_name,
    getVersion: () => meta.version,
    getMemorySize: () => meta.memory_size,
    getCPUNumber: () => meta.cpu_number,
    getProjectID: () => meta.project_id,
    getPackage: () => meta.package,
    getRunningTimeInSeconds: () => meta.timeout,
    getAlias: () => alias || '',
    getLogger: () => logger(requestID),
    // No agency exists in the emulator: temporary credentials are empty.
    getAccessKey: () => '',
    getSecretKey: () => '',
    getSecurityAccessKey: () => '',
    getSecuritySecretKey: () => '',
    getSecurityToken: () => '',
    getToken: () => '',
  };
}

function errorOf(err, kind) {
  const e = err instanceof Error ? err : new Error(typeof err === 'string' ? err : JSON.stringify(err));
  const stack = (e.stack || '').split('\n').slice(1).map((s) => s.trim());
  return { errorMessage: e.message, errorType: kind || e.name || 'Error', stackTrace: stack };
}

function load(codeDir, spec) {
  const dot = spec.lastIndexOf('.');
  if (dot <= 0 || dot === spec.length - 1) {
    throw new Error(`handler "${spec}" is not FILE.FUNCTION`);
  }
  const mod = require(path.join(codeDir, spec.slice(0, dot)));
  const fn = mod[spec.slice(dot + 1)];
  if (typeof fn !== 'function') {
    throw new Error(`module "${spec.slice(0, dot)}" exports no function "${spec.slice(dot + 1)}"`);
  }
  return fn;
}

// call runs an async handler or a callback-style one (event, context, callback).
function call(fn, event, ctx) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err, value) => {
      if (settled) return;
      settled = true;
      if (err !== null && err !== undefined) reject(err);
      else resolve(value);
    };
    try {
      const r = fn.length >= 3 ? fn(event, ctx, done) : fn(event, ctx);
      if (r && typeof r.then === 'function') r.then((v) => done(null, v), (e) => done(e === undefined ? new Error('rejected') : e));
      else if (fn.length < 3) done(null, r);
    } catch (e) {
      done(e);
    }
  });
}

const serialise = (v) => (typeof v === 'string' ? v : JSON.stringify(v === undefined ? null : v));
const memoryMB = () => process.memoryUsage().rss / (1024 * 1024);

const lines = readline.createInterface({ input: fs.createReadStream(null, { fd: 3 }) });
let conf = null;
let handler = null;
let queue = Promise.resolve();

lines.on('line', (line) => {
  const msg = JSON.parse(line);
  if (conf === null) {
    conf = msg;
    queue = queue.then(async () => {
      try {
        handler = load(conf.code_dir, conf.handler);
      } catch (e) {
        send({ type: 'ready', error: errorOf(e, 'HandlerNotFound') });
        return;
      }
      send({ type: 'loaded' });
      if (conf.initializer) {
        currentID = 'init';
        try {
          const init = load(conf.code_dir, conf.initializer);
          await call(init, makeContext(conf.meta, 'init', Date.now() + (conf.initializer_timeout_ms || 3000)));
        } catch (e) {
          send({ type: 'ready', error: errorOf(e, 'InitializerError') });
          return;
        }
      }
      send({ type: 'ready' });
    });
    return;
  }
  queue = queue.then(async () => {
    currentID = msg.id;
    const ctx = makeContext(conf.meta, msg.id, msg.deadline_ms, msg.alias);
    try {
      const value = await call(handler, msg.event, ctx);
      send({ type: 'result', id: msg.id, ok: true, result: serialise(value), memory_mb: memoryMB() });
    } catch (e) {
      send({ type: 'result', id: msg.id, ok: false, error: errorOf(e), memory_mb: memoryMB() });
    }
  });
});
lines.on('close', () => process.exit(0));
