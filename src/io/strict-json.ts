// A strict JSON parser for untrusted headers. Unlike JSON.parse it reports where it failed (as an
// index into the text), refuses duplicate keys instead of keeping the last one, returns objects as
// Maps (so a key such as "__proto__" is an ordinary key) and bounds the nesting depth, so no input
// can exhaust the stack.

/** A parsed JSON value; objects are Maps in document order. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/** A parsed JSON object. */
export type JsonObject = Map<string, JsonValue>;

/** A syntax error (or duplicate key) at `index`, a UTF-16 index into the parsed text. */
export class JsonSyntaxError extends Error {
  constructor(message: string, readonly index: number) {
    super(message);
  }
}

/** The deepest nesting of arrays and objects accepted (serde_json, the reference, allows 128). */
const MAX_JSON_DEPTH = 128;

const ESCAPES = new Map([['"', '"'], ['\\', '\\'], ['/', '/'], ['b', '\b'], ['f', '\f'], ['n', '\n'], ['r', '\r'], ['t', '\t']]);
const LITERALS: [string, JsonValue][] = [['true', true], ['false', false], ['null', null]];

/** Parses `text` as one JSON value (RFC 8259); throws JsonSyntaxError. */
export function parseStrictJson(text: string): JsonValue {
  const parser = new Parser(text);
  const value = parser.value(0);
  parser.skipSpace();
  if (parser.i < text.length) parser.fail('invalid JSON: unexpected content after the value');
  return value;
}

class Parser {
  i = 0;
  constructor(readonly text: string) {}

  fail(message: string, at = this.i): never {
    throw new JsonSyntaxError(message, at);
  }

  skipSpace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.i++;
    }
  }

  eat(char: string): boolean {
    if (this.text[this.i] !== char) return false;
    this.i++;
    return true;
  }

  value(depth: number): JsonValue {
    this.skipSpace();
    const c = this.text[this.i];
    if (c === '{') return this.object(depth + 1);
    if (c === '[') return this.array(depth + 1);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return value;
      }
    }
    return this.fail(c === undefined ? 'invalid JSON: unexpected end' : `invalid JSON: unexpected character ${JSON.stringify(c)}`);
  }

  object(depth: number): JsonObject {
    if (depth > MAX_JSON_DEPTH) this.fail(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    const object: JsonObject = new Map();
    this.i++;
    this.skipSpace();
    if (this.eat('}')) return object;
    for (;;) {
      this.skipSpace();
      const keyAt = this.i;
      if (this.text[this.i] !== '"') this.fail('invalid JSON: expected a string key');
      const key = this.string();
      if (object.has(key)) this.fail(`duplicate key ${JSON.stringify(key)}`, keyAt);
      this.skipSpace();
      if (!this.eat(':')) this.fail(`invalid JSON: expected ':' after the key ${JSON.stringify(key)}`);
      object.set(key, this.value(depth));
      this.skipSpace();
      if (this.eat('}')) return object;
      if (!this.eat(',')) this.fail("invalid JSON: expected ',' or '}'");
    }
  }

  array(depth: number): JsonValue[] {
    if (depth > MAX_JSON_DEPTH) this.fail(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    const array: JsonValue[] = [];
    this.i++;
    this.skipSpace();
    if (this.eat(']')) return array;
    for (;;) {
      array.push(this.value(depth));
      this.skipSpace();
      if (this.eat(']')) return array;
      if (!this.eat(',')) this.fail("invalid JSON: expected ',' or ']'");
    }
  }

  string(): string {
    const text = this.text;
    let out = '';
    let start = ++this.i;
    for (;;) {
      const c = text.charCodeAt(this.i);
      if (Number.isNaN(c)) this.fail('invalid JSON: unterminated string');
      if (c === 0x22) {
        out += text.slice(start, this.i++);
        return out;
      }
      if (c < 0x20) this.fail('invalid JSON: unescaped control character in a string');
      if (c === 0x5c) {
        out += text.slice(start, this.i) + this.escape();
        start = this.i;
      } else {
        this.i++;
      }
    }
  }

  escape(): string {
    const simple = ESCAPES.get(this.text[this.i + 1]);
    if (simple !== undefined) {
      this.i += 2;
      return simple;
    }
    const hex = this.text.slice(this.i + 2, this.i + 6);
    if (this.text[this.i + 1] !== 'u' || !/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid JSON: invalid escape in a string');
    this.i += 6;
    return String.fromCharCode(parseInt(hex, 16));
  }

  number(): number {
    const start = this.i;
    this.eat('-');
    if (!this.eat('0')) this.digits();
    if (this.eat('.')) this.digits();
    if (this.eat('e') || this.eat('E')) {
      if (!this.eat('+')) this.eat('-');
      this.digits();
    }
    return Number(this.text.slice(start, this.i));
  }

  digits(): void {
    const start = this.i;
    for (let c = this.text.charCodeAt(this.i); c >= 0x30 && c <= 0x39; c = this.text.charCodeAt(this.i)) this.i++;
    if (this.i === start) this.fail('invalid JSON: expected a digit');
  }
}
