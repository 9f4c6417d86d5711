/**
 * Capability `catalog`: the items the ERP sells, by SKU and by search.
 *
 * @module
 */
import type { ErpCallOptions } from '../erp-connector.ts';

/** A catalog item (product) as the ERP knows it. */
export interface Item {
  sku: string;
  name: string;
  description: string;
  /** UN/CEFACT-style unit code the item is sold in: `EA`, `BX`, `PK`, `MTR`, `KGM`, `LTR`... */
  unitOfMeasure: string;
  category: string;
  /** False when the ERP no longer sells the item at all. */
  salable: boolean;
  /**
   * Price lists whose customers may buy this item; `null` when anyone may. An item outside the
   * buyer's price list is "not sold to this customer".
   */
  restrictedToPriceLists: string[] | null;
}

/** One page of a catalog search. */
export interface ItemSearch {
  /** Free text matched against SKU, name and description (case-insensitive). */
  text?: string;
  category?: string;
  /** Zero-based position of the first result. */
  offset: number;
  limit: number;
}

export interface ItemSearchPage {
  items: Item[];
  /** Number of items matching the search in total. */
  total: number;
}

/** Reads the catalog. */
export interface ErpCatalog {
  /** One item or one `ERP_NOT_FOUND` error per SKU, in the SKUs' order. */
  getItems(skus: readonly string[], options?: ErpCallOptions): Promise<Array<Item | Error>>;
  searchItems(search: ItemSearch, options?: ErpCallOptions): Promise<ItemSearchPage>;
}
