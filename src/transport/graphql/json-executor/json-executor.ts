/**
 * Runs a planned query (`json-plan.ts`) and writes its `data` as JSON text while it resolves,
 * instead of building a result object and walking it again to serialize it (on a warm
 * CatalogPage, `JSON.stringify` of the 30 KB result was the largest single cost of a request).
 *
 * The JSON of a pure subtree (see `json-plan.ts`) started from a frozen object is kept with that
 * object, by plan: the shared, frozen price quotes and availability answers of the read path
 * (buyer-pricing.ts, availability.ts) are written once while they live, not once per page. Kept
 * only when every object it read was frozen too, so nothing it shows can change under it.
 *
 * Resolvers run as the engine would run them: the same arguments (coerced from the request's
 * variables once per field), the request's context, a value or a promise (awaited, so a cold page
 * batches its ERP reads as before). Anything the engine would answer with an error — a resolver
 * that throws or rejects, an `Error` in a list, `null` where the schema says non-null, a value a
 * serializer refuses — makes the run answer `null`, and the caller lets graphql-jit and the engine
 * answer it in their words.
 *
 * @module
 */
import { getArgumentValues, type VariableValues } from 'graphql';
import { isPromise, type MaybePromise } from '../../../services/maybe-promise.ts';
import type { FieldPlan, JsonPlan, ObjectPlan, OutputPlan } from './json-plan.ts';
import { Pieces, type Json } from './json-text.ts';
import { KEPT_LIST_MIN_ITEMS, listOf } from './kept-lists.ts';

/** Thrown inside a run: the engine answers this request. */
const BAIL = Symbol('bail');

const swallow = () => {};

/** JSON kept per frozen object, by the plan of the subtree written from it. */
const kept = new WeakMap<object, Map<ObjectPlan, string>>();

/** The text a shallow object (see `#shallowObject`) was last written as, with its fields' values then. */
const lastWritten = new WeakMap<object, Map<ObjectPlan, { values: unknown[]; text: string }>>();

/**
 * Most plans one object keeps a text for. Each shape of page that shows an object is one (a
 * catalog page, a product page, a cart: a handful); past this many, its texts start over, so a
 * flood of made-up shapes keeps at most this many texts per live object, and these go with it.
 */
const MAX_PLANS_PER_OBJECT = 8;

function remember<V>(table: WeakMap<object, Map<ObjectPlan, V>>, source: object, plan: ObjectPlan, value: V): void {
  let byPlan = table.get(source);
  if (byPlan === undefined) table.set(source, (byPlan = new Map()));
  else if (byPlan.size >= MAX_PLANS_PER_OBJECT && !byPlan.has(plan)) byPlan.clear();
  byPlan.set(plan, value);
}

function sameValues(a: unknown[], b: unknown[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether `value`'s text is the same whenever the same value is met again: a primitive leaf (its
 * serializer is a pure function), nothing, or an object whose text was kept (frozen all through).
 */
function writtenOnce(plan: OutputPlan, value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (plan.kind === 'leaf') return typeof value !== 'object' && typeof value !== 'function';
  return plan.kind === 'object' && typeof value === 'object' && kept.get(value)?.has(plan) === true;
}

/**
 * Writes `plan`'s `data` for `variables` (coerced for the plan's operation, e.g. by graphql's
 * `getVariableValues`) with `context`: the JSON text, or `null` when the engine should answer
 * (see the module's note).
 */
export function writeJson(plan: JsonPlan, context: unknown, variables: VariableValues): MaybePromise<Json | null> {
  const run = new JsonRun(plan, context, variables);
  try {
    const text = run.object(plan.root, undefined);
    return isPromise(text) ? text.then(undefined, bailed) : text;
  } catch {
    return bailed();
  }
}

/**
 * `text` made one flat string in place. Built by concatenation, it is a tree of pieces that V8
 * copies out again each time the page holding it is encoded (measured: a page of 48 kept answers
 * encoded in 40 µs as trees, 11 µs flat); reading a character flattens it once, for good.
 */
function flattened(text: string): string {
  text.charCodeAt(0);
  return text;
}

/** Whatever ended the run (a resolver's error, a value the engine would refuse): the engine answers. */
function bailed(): null {
  return null;
}

class JsonRun {
  readonly #context: unknown;
  readonly #variables: VariableValues;
  /** Argument values by field index: they depend on the variables only. */
  readonly #args: Array<Record<string, unknown> | undefined>;

  constructor(plan: JsonPlan, context: unknown, variables: VariableValues) {
    this.#context = context;
    this.#variables = variables;
    this.#args = new Array(plan.fields.length);
  }

  #argsOf(field: FieldPlan): Record<string, unknown> {
    let args = this.#args[field.index];
    if (args === undefined) {
      args = field.hasArgs && field.def ? (getArgumentValues(field.def, field.node, this.#variables) as Record<string, unknown>) : {};
      this.#args[field.index] = args;
    }
    return args;
  }

  object(plan: ObjectPlan, source: unknown): MaybePromise<Json> {
    if (typeof source === 'object' && source !== null) {
      if (plan.pure && Object.isFrozen(source)) return this.#keptObject(plan, source);
      if (plan.shallow) return this.#shallowObject(plan, source);
    }
    return this.#writeObject(plan, source, null);
  }

  /**
   * An object whose fields are leaves or kept answers (a product: its SKU and name, its price and
   * availability): its fields are read (resolvers run) every time, and when they are the very
   * values its text was last written from, that text is the answer.
   */
  #shallowObject(plan: ObjectPlan, source: object): MaybePromise<Json> {
    const { fields } = plan;
    const values = this.#readAll(plan, source);
    if (values.some(isPromise)) return this.#writeValues(plan, values, null);
    const last = lastWritten.get(source)?.get(plan);
    if (last !== undefined && sameValues(last.values, values)) return last.text;
    const text = this.#writeValues(plan, values, null) as Json;
    if (typeof text === 'string' && values.every((value, i) => writtenOnce(fields[i]!.type, value))) {
      remember(lastWritten, source, plan, { values, text: flattened(text) });
    }
    return text;
  }

  /** A pure subtree from a frozen object: written once, then the kept text. */
  #keptObject(plan: ObjectPlan, source: object): MaybePromise<Json> {
    const known = kept.get(source)?.get(plan);
    if (known !== undefined) return known;
    const frozen = { all: true };
    // Pure: no resolver below, so the text is ready now (unless a property holds a promise).
    const text = this.#writeObject(plan, source, frozen);
    if (frozen.all && typeof text === 'string') remember(kept, source, plan, flattened(text));
    return text;
  }

  /** `frozen`: when given, told whether every object read was frozen (a pure subtree's check). */
  #writeObject(plan: ObjectPlan, source: unknown, frozen: { all: boolean } | null): MaybePromise<Json> {
    if (frozen && !Object.isFrozen(source)) frozen.all = false;
    return this.#writeValues(plan, this.#readAll(plan, source), frozen);
  }

  /** The values of `plan`'s fields on `source`, in order (resolvers run, as the engine runs them). */
  #readAll(plan: ObjectPlan, source: unknown): unknown[] {
    const { fields } = plan;
    const values: unknown[] = new Array(fields.length);
    try {
      for (let i = 0; i < fields.length; i++) values[i] = this.#read(plan, fields[i]!, source);
    } catch (error) {
      // Promises already started are not awaited: their rejections must not go unhandled.
      for (const value of values) if (isPromise(value)) value.then(undefined, swallow);
      throw error;
    }
    return values;
  }

  /** An object's text from its fields' values, read already (see {@link #read}). */
  #writeValues(plan: ObjectPlan, values: unknown[], frozen: { all: boolean } | null): MaybePromise<Json> {
    const { fields } = plan;
    const pieces = new Pieces('{');
    try {
      for (let i = 0; i < fields.length; i++) {
        const field = fields[i]!;
        pieces.add(i === 0 ? field.key : `,${field.key}`, this.#settle(field.type, values[i], frozen));
      }
    } catch (error) {
      for (const value of values) if (isPromise(value)) value.then(undefined, swallow);
      pieces.abandon();
      throw error;
    }
    return pieces.end('}');
  }

  /** A field's value as the engine gets it: its resolver's answer, or the parent's property. */
  #read(parent: ObjectPlan, field: FieldPlan, source: unknown): unknown {
    if (field.def === null) return parent.typeName;
    if (field.resolve) return field.resolve(source, this.#argsOf(field), this.#context, undefined as never);
    const value = (source as Record<string, unknown>)[field.name];
    // graphql-js calls a method it finds there; the engine does that.
    if (typeof value === 'function') throw BAIL;
    return value;
  }

  /** A value written, now or once it is ready. */
  #settle(plan: OutputPlan, value: unknown, frozen: { all: boolean } | null): MaybePromise<Json> {
    return isPromise(value) ? value.then((ready) => this.#value(plan, ready, frozen)) : this.#value(plan, value, frozen);
  }

  #value(plan: OutputPlan, value: unknown, frozen: { all: boolean } | null): MaybePromise<Json> {
    if (value === null || value === undefined) {
      if (plan.nonNull) throw BAIL;
      return 'null';
    }
    if (value instanceof Error) throw BAIL;
    if (plan.kind === 'leaf') {
      const serialized = plan.serialize(value);
      if (serialized === null || serialized === undefined) throw BAIL;
      return JSON.stringify(serialized);
    }
    if (plan.kind === 'object') return frozen ? this.#writeObject(plan, value, frozen) : this.object(plan, value);
    if (!Array.isArray(value)) throw BAIL;
    if (frozen && !Object.isFrozen(value)) frozen.all = false;
    const items: Array<MaybePromise<Json>> = new Array(value.length);
    let texts = frozen === null && value.length >= KEPT_LIST_MIN_ITEMS;
    try {
      for (let i = 0; i < value.length; i++) {
        const item = (items[i] = this.#settle(plan.of, value[i], frozen));
        if (typeof item !== 'string') texts = false;
      }
    } catch (error) {
      for (const item of items) if (isPromise(item)) item.then(undefined, swallow);
      throw error;
    }
    // Items all written now, outside a kept subtree (whose text must stay text): maybe a list kept as bytes.
    if (texts) return listOf(plan, items as string[]);
    const pieces = new Pieces('[');
    for (let i = 0; i < items.length; i++) pieces.add(i === 0 ? '' : ',', items[i]!);
    return pieces.end(']');
  }
}
