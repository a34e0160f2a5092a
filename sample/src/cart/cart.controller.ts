import { Body, Controller, Get, Post, Redirect, Req } from '@nestjs/common';
import { flash, Session } from 'nest-flask-session';
import { html } from '../common/html.js';
import { PagesService } from '../common/pages.service.js';
import type { SampleSession } from '../common/sample-session.js';
import { PRODUCTS, findProduct, formatPrice } from './catalog.js';
import { HtmlPage } from '../common/html-page.decorator.js';

interface ProductForm {
  product?: unknown;
}

type RedirectTo = { url: string; statusCode: number };
const backToCart: RedirectTo = { url: '/cart', statusCode: 303 };

/** A shopping cart kept in the session as nested data: `{ cart: { teapot: 2, scone: 1 } }`. */
@Controller('cart')
export class CartController {
  constructor(private readonly pages: PagesService) {}

  @Get()
  @HtmlPage()
  async show(@Req() req: object, @Session() session: SampleSession): Promise<string> {
    const csrf = await this.pages.csrfField(req);
    const cart = session.get('cart') ?? {};
    const lines = Object.entries(cart).flatMap(([id, quantity]) => {
      const product = findProduct(id);
      return product && quantity > 0 ? [{ product, quantity }] : [];
    });
    const total = lines.reduce((sum, line) => sum + line.product.priceCents * line.quantity, 0);
    return this.pages.render(req, session, {
      title: 'Cart',
      body: html`<section class="card">
  <h2>Products</h2>
  <table>
  ${PRODUCTS.map(
    (product) => html`<tr><td>${product.name}</td><td class="num">${formatPrice(product.priceCents)}</td>
    <td class="num"><form class="inline" method="post" action="/cart/add">${csrf}<input type="hidden" name="product" value="${product.id}"><button class="button secondary" type="submit" data-add="${product.id}">Add</button></form></td></tr>`,
  )}
  </table>
</section>
<section class="card" id="cart">
  <h2>Your cart</h2>
  ${
    lines.length === 0
      ? html`<p class="muted" id="cart-empty">Your cart is empty.</p>`
      : html`<table>
  <tr><th>Product</th><th class="num">Quantity</th><th class="num">Subtotal</th><th></th></tr>
  ${lines.map(
    ({
      product,
      quantity,
    }) => html`<tr data-line="${product.id}"><td>${product.name}</td><td class="num qty">${quantity}</td><td class="num">${formatPrice(product.priceCents * quantity)}</td>
    <td class="num"><form class="inline" method="post" action="/cart/remove">${csrf}<input type="hidden" name="product" value="${product.id}"><button class="button secondary" type="submit">Remove one</button></form></td></tr>`,
  )}
  <tr><th>Total</th><th></th><th class="num" id="cart-total">${formatPrice(total)}</th><th></th></tr>
  </table>
  <form method="post" action="/cart/clear">${csrf}<p><button class="button secondary" type="submit">Empty the cart</button></p></form>`
  }
  <p class="muted">Changing a quantity changes a value <em>inside</em> <code>session.cart</code>: the session cannot see that, so the
  handler sets <code>session.modified = true</code>, exactly as in Flask.</p>
</section>`,
    });
  }

  @Post('add')
  @Redirect()
  add(@Session() session: SampleSession, @Body() form: ProductForm): RedirectTo {
    const product = findProduct(form.product);
    if (!product) {
      flash(session, 'No such product.', 'error');
      return backToCart;
    }
    const cart = session.get('cart');
    if (cart === undefined) {
      // A top-level write: the session notices it by itself.
      session.set('cart', { [product.id]: 1 });
    } else {
      // A change inside the stored object is invisible to the session: say so, or it is not saved.
      cart[product.id] = (cart[product.id] ?? 0) + 1;
      session.modified = true;
    }
    flash(session, `Added ${product.name} to your cart.`, 'success');
    return backToCart;
  }

  @Post('remove')
  @Redirect()
  remove(@Session() session: SampleSession, @Body() form: ProductForm): RedirectTo {
    const cart = session.get('cart');
    const product = findProduct(form.product);
    if (cart && product && cart[product.id] !== undefined) {
      cart[product.id] -= 1;
      if (cart[product.id]! <= 0) delete cart[product.id];
      session.modified = true;
      flash(session, `Removed one ${product.name}.`, 'info');
    }
    return backToCart;
  }

  @Post('clear')
  @Redirect()
  clear(@Session() session: SampleSession): RedirectTo {
    // A top-level delete: marks the session modified by itself.
    session.delete('cart');
    flash(session, 'Your cart is empty now.', 'info');
    return backToCart;
  }
}
