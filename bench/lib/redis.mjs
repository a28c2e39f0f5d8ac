// A minimal Redis client for the harness (RESP2 over node:net), one command at a time, to
// write and delete the session entries the redis mode reads.

import { connect } from "node:net";

/** Connects to `url` (redis://host:port), rejecting when it does not connect within `timeoutMs`. */
export function connectRedis(url, timeoutMs = 2000) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`Redis at ${url} did not accept a connection within ${timeoutMs} ms.`));
    }, timeoutMs);
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(wrap(socket));
    });
  });
}

function wrap(socket) {
  let buffered = "";
  let waiting = null;
  socket.on("data", (chunk) => {
    buffered += chunk.toString("utf8");
    flush();
  });
  socket.on("error", (error) => waiting?.reject(error));

  // Entries are small, so every reply the harness needs is one line (+OK, :1, -ERR ...).
  function flush() {
    const end = buffered.indexOf("\r\n");
    if (end < 0 || !waiting) return;
    const line = buffered.slice(0, end);
    buffered = buffered.slice(end + 2);
    const { resolve, reject } = waiting;
    waiting = null;
    if (line.startsWith("-")) reject(new Error(`Redis replied ${line.slice(1)}`));
    else resolve(line.slice(1));
  }

  return {
    command(args) {
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        let out = `*${args.length}\r\n`;
        for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
        socket.write(out);
        flush();
      });
    },
    close() {
      socket.end();
    },
  };
}
