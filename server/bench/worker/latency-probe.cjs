// autocannon `setupClient`, loaded by path inside autocannon's worker thread. autocannon's latency
// histogram keeps whole milliseconds only, so every response's exact duration (fractional ms) goes
// to the main thread over the BroadcastChannel named by the run's `title` (see ../load.ts).
/* global module, require */
'use strict';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BroadcastChannel, workerData } = require('node:worker_threads');

const channel = new BroadcastChannel(workerData.opts.title);
// The channel must not keep the worker alive once autocannon is done with it.
channel.unref();

const BATCH = 512;

module.exports = function setupClient(client) {
  let batch = [];
  const flush = () => {
    if (batch.length === 0) return;
    channel.postMessage(batch);
    batch = [];
  };
  // Every response, like autocannon's own histogram (it records non-2xx too), so the counts agree.
  client.on('response', (_status, _bytes, durationMs) => {
    batch.push(durationMs);
    if (batch.length >= BATCH) flush();
  });
  // autocannon destroys each client when the run ends: send what is left first.
  const destroy = client.destroy.bind(client);
  client.destroy = () => {
    flush();
    destroy();
  };
};
