/** A product of the demo shop. Prices are in cents to keep arithmetic exact. */
export interface Product {
  id: string;
  name: string;
  priceCents: number;
}

/** The catalog. One name holds HTML special characters on purpose: pages must show it escaped. */
export const PRODUCTS: ReadonlyArray<Product> = [
  { id: 'teapot', name: 'Teapot', priceCents: 2400 },
  { id: 'earl-grey', name: 'Earl Grey <loose leaf> & "bergamot"', priceCents: 650 },
  { id: 'scone', name: 'Scone', priceCents: 275 },
];

export function findProduct(id: unknown): Product | undefined {
  return PRODUCTS.find((product) => product.id === id);
}

export function formatPrice(cents: number): string {
  return `€${(cents / 100).toFixed(2)}`;
}

/** Number of items in a cart as stored in the session (product id → quantity). */
export function cartQuantity(cart: Record<string, number> | undefined): number {
  return Object.values(cart ?? {}).reduce((sum, quantity) => sum + (Number.isFinite(quantity) ? quantity : 0), 0);
}
