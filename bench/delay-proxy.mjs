// A TCP proxy that adds a fixed delay to every chunk the server sends back, so that each
// database round trip through it takes about that much longer, as across a network.
//
// Usage: node bench/delay-proxy.mjs LISTEN_PORT TARGET_PORT [DELAY_MS]   (127.0.0.1 only)
//
// The whole delay is added on the way back. For a protocol of request and reply, such as
// PostgreSQL's, only the round trip matters, and Node.js timers cannot wait less than 1 ms,
// so half of a 1 ms delay on each way is not possible with them.

import { createServer, connect } from "node:net";
import { pathToFileURL } from "node:url";

/**
 * Starts the proxy on 127.0.0.1:`listenPort`, forwarding to 127.0.0.1:`targetPort`. Returns
 * `close()`, which also ends every open connection.
 */
export function startDelayProxy({ listenPort, targetPort, delayMs }) {
  const sockets = new Set();
  const server = createServer((client) => {
    const upstream = connect({ host: "127.0.0.1", port: targetPort, noDelay: true });
    client.setNoDelay(true);
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", delayedWriter(client, delayMs));
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(listenPort, "127.0.0.1", () => {
      resolve({
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * Returns a data handler that writes each chunk to `target` `delayMs` after it arrived, in
 * arrival order, with one timer per connection at a time.
 */
function delayedWriter(target, delayMs) {
  const queue = [];
  let timer;
  const flush = () => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && queue[0].due <= now) target.write(queue.shift().chunk);
    if (queue.length > 0) timer = setTimeout(flush, queue[0].due - now);
  };
  return (chunk) => {
    queue.push({ due: performance.now() + delayMs, chunk });
    timer ??= setTimeout(flush, delayMs);
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [listenPort, targetPort, delayMs = "1"] = process.argv.slice(2).map(Number);
  if (!Number.isInteger(listenPort) || !Number.isInteger(targetPort) || !(delayMs >= 0)) {
    console.error("Usage: node bench/delay-proxy.mjs LISTEN_PORT TARGET_PORT [DELAY_MS]");
    process.exit(2);
  }
  await startDelayProxy({ listenPort, targetPort, delayMs });
  console.log(`Forwarding 127.0.0.1:${listenPort} to 127.0.0.1:${targetPort}, +${delayMs} ms.`);
}
