// User-Agent client hints (`Sec-CH-UA-*` request headers), which Chromium-based browsers send.
// The low-entropy hints (`Sec-CH-UA`, `Sec-CH-UA-Mobile`, `Sec-CH-UA-Platform`) come with every
// request. The high-entropy ones come only after a response asked for them with `Accept-CH`,
// which next.config.mjs does for the sign-in and sign-up pages.

import type { HeaderReader } from "./request-context";

/** One entry of a `Sec-CH-UA` brand list, such as `"Microsoft Edge";v="131"`. */
export interface Brand {
  name: string;
  version: string | null;
}

export interface ClientHints {
  /** Brands from `Sec-CH-UA`, or from `Sec-CH-UA-Full-Version-List` when only that arrived. */
  brands: Brand[] | null;
  /** `Sec-CH-UA-Mobile`: true when the browser prefers a mobile experience. */
  mobile: boolean | null;
  /** `Sec-CH-UA-Platform`, such as "Windows", "macOS" or "Android". */
  platform: string | null;
  /** `Sec-CH-UA-Platform-Version`, such as "15.0.0". */
  platformVersion: string | null;
  /** `Sec-CH-UA-Model`, such as "Pixel 8". Desktops send an empty string. */
  model: string | null;
}

// Real hint values are a few dozen characters long, so longer ones are cut before parsing.
const MAX_HINT_LENGTH = 256;

/** Reads the client hint headers, or returns undefined when the request carries none. */
export function readClientHints(headers: HeaderReader): ClientHints | undefined {
  const header = (name: string) => headers.get(name)?.slice(0, MAX_HINT_LENGTH) ?? null;
  const brandList = header("sec-ch-ua");
  const fullVersionList = header("sec-ch-ua-full-version-list");
  const mobile = header("sec-ch-ua-mobile");
  const platform = header("sec-ch-ua-platform");
  const platformVersion = header("sec-ch-ua-platform-version");
  const model = header("sec-ch-ua-model");
  if (
    [brandList, fullVersionList, mobile, platform, platformVersion, model].every((v) => v === null)
  ) {
    return undefined;
  }

  return {
    brands: parseBrandList(brandList) ?? parseBrandList(fullVersionList),
    mobile: parseBoolean(mobile),
    platform: parseSingleString(platform),
    platformVersion: parseSingleString(platformVersion),
    model: parseSingleString(model),
  };
}

/**
 * Parses a brand list (an RFC 8941 list of strings, each with a `v` parameter) and drops the
 * GREASE brands. Returns null when the value is missing or not a valid list, because RFC 8941
 * section 4.2 requires ignoring a whole field that fails to parse.
 */
export function parseBrandList(value: string | null): Brand[] | null {
  if (value === null) return null;
  const parser = new StructuredFieldParser(value);
  const brands: Brand[] = [];
  parser.skipSpaces();
  while (!parser.atEnd()) {
    const name = parser.readString();
    if (name === null) return null;
    const parameters = parser.readParameters();
    if (parameters === null) return null;
    if (!isGreaseBrand(name)) brands.push({ name, version: parameters.get("v") ?? null });

    parser.skipSpaces();
    if (parser.atEnd()) break;
    if (!parser.consume(",")) return null;
    parser.skipSpaces();
    if (parser.atEnd()) return null; // a trailing comma is invalid
  }
  return brands;
}

/**
 * Reports whether a brand is GREASE: a made-up entry such as "Not_A Brand" or "Not)A;Brand"
 * that Chromium adds so that servers do not depend on the exact list.
 */
export function isGreaseBrand(name: string): boolean {
  // `\b` would miss "Not_A Brand", because `_` counts as a word character.
  if (!/(^|[^A-Za-z])Not([^A-Za-z]|$)/i.test(name)) return false;
  return /[^A-Za-z0-9 ]|^\s|\s$|\bNot A Brand\b/i.test(name);
}

function parseBoolean(value: string | null): boolean | null {
  const trimmed = value?.trim();
  if (trimmed === "?1") return true;
  if (trimmed === "?0") return false;
  return null;
}

// A single sf-string item; its parameters, if any, are ignored.
function parseSingleString(value: string | null): string | null {
  if (value === null) return null;
  const parser = new StructuredFieldParser(value);
  parser.skipSpaces();
  const text = parser.readString();
  if (text === null || parser.readParameters() === null) return null;
  parser.skipSpaces();
  return parser.atEnd() ? text : null;
}

// The subset of RFC 8941 that client hints use: strings, and parameters whose values are
// strings or tokens. Each method returns null on invalid input instead of throwing.
class StructuredFieldParser {
  private position = 0;

  constructor(private readonly input: string) {}

  atEnd(): boolean {
    return this.position >= this.input.length;
  }

  skipSpaces(): void {
    while (this.input[this.position] === " " || this.input[this.position] === "\t") {
      this.position++;
    }
  }

  consume(character: string): boolean {
    if (this.input[this.position] !== character) return false;
    this.position++;
    return true;
  }

  // RFC 8941 section 4.2.5: a quoted string where only `\"` and `\\` are escapes.
  readString(): string | null {
    if (!this.consume('"')) return null;
    let text = "";
    while (!this.atEnd()) {
      const character = this.input[this.position++]!;
      if (character === '"') return text;
      if (character === "\\") {
        const escaped = this.input[this.position++];
        if (escaped !== '"' && escaped !== "\\") return null;
        text += escaped;
        continue;
      }
      const code = character.charCodeAt(0);
      if (code < 0x20 || code > 0x7e) return null;
      text += character;
    }
    return null; // no closing quote
  }

  // RFC 8941 section 4.2.3.2: `;key=value` pairs, where a bare key means true.
  readParameters(): Map<string, string> | null {
    const parameters = new Map<string, string>();
    while (this.consume(";")) {
      this.skipSpaces();
      const key = /^[a-z*][a-z0-9_\-.*]*/.exec(this.input.slice(this.position))?.[0];
      if (!key) return null;
      this.position += key.length;
      if (!this.consume("=")) {
        parameters.set(key, "?1");
        continue;
      }
      const value = this.input[this.position] === '"' ? this.readString() : this.readToken();
      if (value === null) return null;
      parameters.set(key, value);
    }
    return parameters;
  }

  // Tokens and bare numbers, kept as text.
  private readToken(): string | null {
    const token = /^[A-Za-z0-9*?\-.:/_!#$%&'+^`|~]+/.exec(this.input.slice(this.position))?.[0];
    if (!token) return null;
    this.position += token.length;
    return token;
  }
}
