import "server-only";

import { connect, type Socket } from "node:net";

// A minimal Redis client (RESP2 over one TCP connection), so that the benchmark's Redis
// lookup needs no dependency. Commands are pipelined: each is written at once and Redis
// replies in order, so replies are matched to callers first in, first out.

export type RespValue = string | number | null | RespValue[];

/** A reply Redis sent as an error ("-ERR ..."). */
export class RespError extends Error {}

interface Pending {
  resolve(value: RespValue): void;
  reject(error: Error): void;
}

interface Parsed {
  value: RespValue | RespError;
  end: number;
}

export interface RespClient {
  /** Sends one command, such as ["GET", key], and returns its reply. */
  command(args: string[]): Promise<RespValue>;
  close(): void;
}

/** Creates a client for `url` (redis://host:port). It connects on the first command. */
export function createRespClient(url: string): RespClient {
  const { hostname, port } = new URL(url);
  let socket: Socket | undefined;
  let buffer: Buffer = Buffer.alloc(0);
  const pending: Pending[] = [];

  function failAll(error: Error) {
    socket = undefined;
    buffer = Buffer.alloc(0);
    for (const waiter of pending.splice(0)) waiter.reject(error);
  }

  function onData(chunk: Buffer) {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    let offset = 0;
    for (;;) {
      const parsed = parseReply(buffer, offset);
      if (!parsed) break;
      offset = parsed.end;
      const waiter = pending.shift();
      if (!waiter) continue;
      if (parsed.value instanceof RespError) waiter.reject(parsed.value);
      else waiter.resolve(parsed.value);
    }
    buffer = buffer.subarray(offset);
  }

  function open(): Socket {
    const opened = connect({ host: hostname, port: Number(port || 6379), noDelay: true });
    opened.on("data", onData);
    opened.on("error", (error) => failAll(error));
    opened.on("close", () => failAll(new Error(`Connection to Redis at ${url} closed.`)));
    return opened;
  }

  return {
    command(args) {
      socket ??= open();
      const connection = socket;
      return new Promise<RespValue>((resolve, reject) => {
        pending.push({ resolve, reject });
        connection.write(encodeCommand(args));
      });
    },
    close() {
      socket?.end();
    },
  };
}

function encodeCommand(args: string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return out;
}

/** Parses one reply starting at `start`, or returns null when it has not fully arrived. */
function parseReply(buffer: Buffer, start: number): Parsed | null {
  const lineEnd = buffer.indexOf("\r\n", start);
  if (lineEnd < 0) return null;
  const type = String.fromCharCode(buffer[start] ?? 0);
  const line = buffer.toString("utf8", start + 1, lineEnd);
  const next = lineEnd + 2;

  switch (type) {
    case "+":
      return { value: line, end: next };
    case "-":
      return { value: new RespError(line), end: next };
    case ":":
      return { value: Number(line), end: next };
    case "$": {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buffer.length < next + length + 2) return null;
      return { value: buffer.toString("utf8", next, next + length), end: next + length + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: RespValue[] = [];
      let end = next;
      for (let index = 0; index < count; index += 1) {
        const item = parseReply(buffer, end);
        if (!item) return null;
        if (item.value instanceof RespError) return item;
        items.push(item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      throw new Error(`Unexpected RESP reply type "${type}" from Redis.`);
  }
}
