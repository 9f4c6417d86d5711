/**
 * The sandbox's catalog: `SKU-00001`..`SKU-05000`, drawn from the product templates.
 *
 * @module
 */
import type { Item } from '../ports/erp-connector.ts';
import { BRANDS, TEMPLATES, type ItemTemplate } from './catalog-templates.ts';
import { key, rng } from './prng.ts';

export const ITEM_COUNT = 5000;

/**
 * SKUs pinned to a role so tests and demos can rely on them; everything else is drawn from the
 * seed. SKU-00001..SKU-00010 are always plain: salable, unrestricted.
 */
export const PINNED_SKUS = {
  /** Salable only to customers on these price lists. */
  restricted: { sku: 'SKU-00049', priceLists: ['PL-OEM', 'PL-DISTRIBUTOR'] },
  /** No longer sold, not replenished. */
  discontinued: 'SKU-00050',
  /**
   * Being phased out: still sold while stock lasts, never replenished, and out of it: the first
   * page's OUT_OF_STOCK item. (The first page stays sellable to every demo customer.)
   */
  phasedOut: 'SKU-00047',
} as const;

/** A catalog item with what the other generators need to know about it. */
export interface CatalogEntry {
  item: Item;
  /** 1-based position: SKU-00017 is 17. */
  index: number;
  /** The USD list price for one unit, in cents. */
  baseCents: number;
}

interface Variant {
  template: ItemTemplate;
  values: Record<string, string>;
  /** Where the variant sits among the template's sizes, 0 (smallest) to 1 (largest). */
  size: number;
  brand: string | null;
}

/** Builds the catalog for a seed: deterministic, about 10 ms. */
export function generateCatalog(seed: number): CatalogEntry[] {
  const house = TEMPLATES.flatMap((template) => variantsOf(template));
  const branded = BRANDS.flatMap((brand) => house.map((v) => ({ ...v, brand })));
  const draw = rng(seed, 'catalog');
  // Every house-brand product is carried; second-source brands fill the catalog up to its size,
  // numbered after them as if added later (ERPs number items in the order they were created).
  const chosen = [...draw.shuffle(house), ...draw.shuffle(branded).slice(0, Math.max(0, ITEM_COUNT - house.length))];
  return chosen.slice(0, ITEM_COUNT).map((variant, i) => toEntry(seed, i + 1, variant));
}

function variantsOf(template: ItemTemplate): Variant[] {
  const names = Object.keys(template.options);
  let combos: Array<{ values: Record<string, string>; position: number }> = [{ values: {}, position: 0 }];
  for (const name of names) {
    const values = template.options[name] ?? [];
    combos = combos.flatMap((combo) =>
      values.map((value, i) => ({
        values: { ...combo.values, [name]: value },
        position: combo.position + (values.length > 1 ? i / (values.length - 1) : 0),
      })),
    );
  }
  return combos.map((combo) => ({
    template,
    values: combo.values,
    size: names.length > 0 ? combo.position / names.length : 0,
    brand: null,
  }));
}

function fill(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}

function toEntry(seed: number, index: number, variant: Variant): CatalogEntry {
  const draw = rng(seed, 'item', index);
  const sku = key('SKU-', index, 5);
  const { template, brand } = variant;
  let name = fill(template.name, variant.values);
  let description = fill(template.description, variant.values);
  if (brand) {
    // "Kestrel hex bolt ..." but "Kestrel PVC conduit ...": keep acronyms as they are.
    const lowered = /^[A-Z][a-z]/.test(name) ? name.charAt(0).toLowerCase() + name.slice(1) : name;
    name = `${brand} ${lowered}`;
    description = `${description} Brand: ${brand}.`;
  }
  const [low, high] = template.priceCents;
  const weight = 0.75 * variant.size + 0.25 * draw.next();
  const baseCents = Math.max(9, Math.round(low + (high - low) * weight) - (brand ? 0 : draw.int(0, 40)));

  let salable = true;
  let restrictedToPriceLists: string[] | null = null;
  if (sku === PINNED_SKUS.discontinued) salable = false;
  else if (sku === PINNED_SKUS.restricted.sku) restrictedToPriceLists = [...PINNED_SKUS.restricted.priceLists];
  else if (index > 48) {
    const roll = draw.next();
    if (roll < 0.02) salable = false;
    else if (roll < 0.05) restrictedToPriceLists = draw.chance(0.5) ? ['PL-OEM'] : ['PL-OEM', 'PL-DISTRIBUTOR'];
  }
  if (!salable) description = `${description} Discontinued: no longer sold.`;
  if (sku === PINNED_SKUS.phasedOut) description = `${description} Being phased out: sold while stock lasts.`;

  return {
    index,
    baseCents,
    item: {
      sku,
      name,
      description,
      unitOfMeasure: template.uom,
      category: template.category,
      salable,
      restrictedToPriceLists,
    },
  };
}
