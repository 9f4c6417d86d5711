/**
 * JSON as the executor writes it: text, or text around parts already encoded as UTF-8 (a list
 * kept with its bytes, see kept-lists.ts). Encoding a page's 30 KB of text again for every answer
 * cost about a tenth of a warm CatalogPage's CPU time; bytes kept are copied instead.
 *
 * @module
 */
import { isPromise } from '../../../services/maybe-promise.ts';

/** Text with encoded parts in it, in order. */
export class JsonParts {
  readonly parts: ReadonlyArray<string | Uint8Array>;

  constructor(parts: ReadonlyArray<string | Uint8Array>) {
    this.parts = parts;
  }
}

/** JSON written: its text, or its parts when some are bytes. */
export type Json = string | JsonParts;

/**
 * The text of an object or a list, piece by piece: one string while every piece is text and
 * ready, parts once a piece is bytes, and the pieces joined once the last arrives when some are
 * promises (a cold page's reads).
 */
export class Pieces {
  #text: string;
  /** Once a piece was bytes: everything so far, in order (`#text` then holds what follows the last bytes). */
  #parts: Array<string | Uint8Array> | null = null;
  #pending: Array<Json | Promise<Json>> | null = null;

  constructor(open: string) {
    this.#text = open;
  }

  add(head: string, value: Json | Promise<Json>): void {
    if (this.#pending !== null || typeof value === 'object') {
      if (value instanceof JsonParts && this.#pending === null) {
        this.#append(head, value);
        return;
      }
      (this.#pending ??= [this.#done()]).push(head, value);
      return;
    }
    this.#text += head + value;
  }

  /** Given up half-way: promises already started are not awaited, and their rejections must not go unhandled. */
  abandon(): void {
    if (this.#pending) for (const part of this.#pending) if (isPromise(part)) part.then(undefined, () => {});
  }

  end(close: string): Json | Promise<Json> {
    if (this.#pending === null) {
      this.#text += close;
      return this.#done();
    }
    this.#pending.push(close);
    return Promise.all(this.#pending).then((done) => {
      const joined = new Pieces('');
      for (const part of done) joined.add('', part);
      return joined.end('') as Json;
    });
  }

  #append(head: string, value: JsonParts): void {
    const parts = (this.#parts ??= []);
    let text = this.#text + head;
    for (const part of value.parts) {
      if (typeof part === 'string') text += part;
      else {
        if (text !== '') parts.push(text);
        parts.push(part);
        text = '';
      }
    }
    this.#text = text;
  }

  /** What is written so far. */
  #done(): Json {
    if (this.#parts === null) return this.#text;
    const parts = this.#text === '' ? this.#parts : [...this.#parts, this.#text];
    return new JsonParts(parts);
  }
}

/** `json` as one UTF-8 body: its text encoded, its bytes copied. */
export function encodeJson(json: Json): Uint8Array {
  if (typeof json === 'string') return Buffer.from(json);
  const chunks = json.parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part));
  return Buffer.concat(chunks);
}
