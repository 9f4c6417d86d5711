/**
 * Quotes and returns over HTTP against a real Tryton 6.0 (one Tryton and one erpfront for the
 * file, erpfront reaching Tryton through a proxy that can refuse connections or lose a reply):
 * a quote requested while Tryton is unreachable becomes one sale left for sales; sales price it
 * and quote it in Tryton, as a salesperson would, through its JSON-RPC; accepted after the list
 * price rose, the order carries the quoted prices; an expired quote is refused; a revision and a
 * decline are noted once. A return of 2 of 5 shipped units becomes one return sale (negative
 * quantities) though Tryton's reply is lost, and once received and its credit note posted in
 * Tryton is credited with that credit note; more than shipped is refused with its code.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrytonConnector } from '../../src/adapters/erp/tryton/index.ts';
import { eventually } from '../support/orders.ts';
import { startErpfrontOnTryton, startTryton, TRYTON_USER, trytonAvailable, type RunningTryton } from '../support/tryton.ts';

const available = trytonAvailable('Tryton quotes and returns');
/** A test drives Tryton's client steps one by one, on 2 shared cores: give it room. */
const SLOW = 120_000;

const REQUEST_QUOTE = /* GraphQL */ `
mutation RequestQuote($input: RequestQuoteInput!) { requestQuote(input: $input) { quote { id status erpQuoteNumber } userErrors { code message field } } }`;
const QUOTES = /* GraphQL */ `
query { quotes(first: 20) { edges { node { id status validUntil erpQuoteNumber total { amount currency } lines { sku quantity unitPrice { amount } } } } } }`;
const QUOTE = /* GraphQL */ `query Quote($id: ID!) { quote(id: $id) { id status erpQuoteNumber orderId validUntil } }`;
const ACCEPT_QUOTE = /* GraphQL */ `
mutation AcceptQuote($id: ID!, $idempotencyKey: String!, $poNumber: String) {
  acceptQuote(id: $id, idempotencyKey: $idempotencyKey, poNumber: $poNumber) { order { id status lines { sku unitPrice { amount } } } userErrors { code message } }
}`;
const DECLINE = /* GraphQL */ `mutation D($id: ID!) { declineQuote(id: $id) { quote { id status } userErrors { code message } } }`;
const REVISE = /* GraphQL */ `mutation R($id: ID!, $note: String!) { requestQuoteRevision(id: $id, note: $note) { quote { id status } userErrors { code message } } }`;
const PLACE = /* GraphQL */ `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } userErrors { code message } } }`;
const ORDER = /* GraphQL */ `query O($id: ID!) { order(id: $id) { id status erpOrderNumber lines { sku unitPrice { amount } shippedQuantity } } }`;
const REQUEST_RETURN = /* GraphQL */ `
mutation RequestReturn($input: RequestReturnInput!) { requestReturn(input: $input) { returnRequest { id status } userErrors { code message field } } }`;
const RETURN = /* GraphQL */ `
query R($id: ID!) { returnRequest(id: $id) { id status orderId erpReturnNumber lines { sku quantity reason } creditMemo { number total { amount currency } } } }`;

/**
 * A proxy in front of Tryton: `down` refuses every request (the connection is reset);
 * `loseReplyTo` lets Tryton run the next call whose body contains all its strings, and drops the reply.
 */
function faultProxy(target: string) {
  const state = { down: false, loseReplyTo: null as string[] | null, lost: 0 };
  const server: Server = createServer(async (req, res) => {
    if (state.down) return void req.socket.destroy();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers: Record<string, string> = { 'content-type': req.headers['content-type'] ?? 'application/json' };
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    try {
      const upstream = await fetch(new URL(req.url ?? '/', target), { method: req.method, headers, body: req.method === 'POST' ? body : undefined });
      const answer = Buffer.from(await upstream.arrayBuffer());
      if (state.loseReplyTo?.every((part) => body.toString().includes(part))) {
        state.loseReplyTo = null;
        state.lost++;
        return void req.socket.destroy();
      }
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(answer);
    } catch {
      req.socket.destroy();
    }
  });
  return {
    state,
    listen: () =>
      new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}/demo/`))),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

const day = (offset: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + offset)).toISOString().slice(0, 10);
};
const trytonDate = (iso: string) => {
  const [year, month, dayOfMonth] = iso.split('-').map(Number);
  return { __class__: 'date', year, month, day: dayOfMonth };
};

describe.skipIf(!available)('quotes and returns on Tryton', () => {
  let tryton: RunningTryton;
  let proxy: ReturnType<typeof faultProxy>;
  let stack: Awaited<ReturnType<typeof startErpfrontOnTryton>>;
  let direct: ReturnType<typeof createTrytonConnector>;
  /** A call in Tryton itself, as a person in Tryton's client makes it. */
  const tryton_ = (model: string, method: string, ...args: unknown[]) => direct.rpc.model('test', model, method, args) as Promise<any>;
  const sales = (reference: string, fields: string[] = ['state']) =>
    tryton_('sale.sale', 'search_read', [['reference', '=', reference]], 0, null, [['id', 'ASC']], ['reference', ...fields]) as Promise<
      Array<Record<string, any>>
    >;

  beforeAll(async () => {
    tryton = await startTryton();
    proxy = faultProxy(tryton.url);
    const url = await proxy.listen();
    // A write whose reply is lost is looked up 5 s + 1 s after it was sent.
    stack = await startErpfrontOnTryton(tryton, {
      ERP_URL: url,
      BREAKER_COOLDOWN_SECONDS: '1',
      ERP_TIMEOUT_MS: '5000',
      ERP_MAX_REQUEST_SECONDS: '5',
      RETURN_REASONS: 'DAMAGED,WRONG_ITEM',
    });
    direct = createTrytonConnector({ url: tryton.url, ...TRYTON_USER, timeoutMs: 20_000 });
  }, 300_000);
  afterAll(async () => {
    await stack?.close();
    await proxy?.close();
    await tryton?.close();
  });

  /** A salesperson prices the quotation's lines in Tryton (back to draft if it was quoted), dates it, and quotes it. */
  async function quoteInTryton(quoteId: string, prices: Record<string, string>, saleDate?: string): Promise<number> {
    const [sale] = await eventually(
      () => sales(`quote:${quoteId}`, ['id', 'state']),
      (s) => s.length === 1,
      30_000,
      200,
    );
    if (sale!.state === 'quotation') await tryton_('sale.sale', 'draft', [sale!.id]);
    const lines = (await tryton_('sale.line', 'search_read', [['sale', '=', sale!.id]], 0, null, null, ['product.code'])) as Array<{
      id: number;
      'product.': { code: string };
    }>;
    for (const line of lines) await tryton_('sale.line', 'write', [line.id], { unit_price: { __class__: 'Decimal', decimal: prices[line['product.'].code] } });
    await tryton_('sale.sale', 'quote', [sale!.id]);
    // Dated once quoted: Tryton checks the forecast stock of the sale date when it quotes.
    if (saleDate) await tryton_('sale.sale', 'write', [sale!.id], { sale_date: trytonDate(saleDate) });
    return sale!.id as number;
  }

  async function requestQuote(token: string, input: Record<string, unknown>) {
    return (await stack.graphql(REQUEST_QUOTE, { input }, token)).requestQuote as {
      quote: { id: string; status: string; erpQuoteNumber: string | null };
      userErrors: unknown[];
    };
  }

  describe('quotes', () => {
    it(
      'requested while Tryton is unreachable: created once after; priced in Tryton, accepted after the list price rose: the order carries the quoted prices',
      async () => {
        const token = await stack.buyerToken('INITECH');
        proxy.state.down = true;
        const input = {
          lines: [
            { sku: 'SKU-1001', quantity: 4 },
            { sku: 'SKU-1002', quantity: 6 },
          ],
          note: 'Spring build',
          idempotencyKey: 'rfq-outage',
        };
        const requested = await requestQuote(token, input);
        expect(requested.userErrors).toEqual([]);
        expect(requested.quote).toMatchObject({ status: 'REQUESTED', erpQuoteNumber: null });
        const id = requested.quote.id;
        expect((await requestQuote(token, input)).quote.id).toBe(id);
        await new Promise((r) => setTimeout(r, 1000));
        expect(await sales(`quote:${id}`)).toEqual([]);
        proxy.state.down = false;

        // Sales answer in Tryton: a draft sale with the buyer's note, priced and quoted.
        const saleId = await quoteInTryton(id, { 'SKU-1001': '11.00', 'SKU-1002': '6.00' });
        const [sale] = await sales(`quote:${id}`, ['state', 'comment']);
        expect(sale).toMatchObject({ state: 'quotation', comment: 'Spring build' });
        // The list price of SKU-1001 rises in Tryton after the quote (12.50 → 19.00), by a product manager.
        const manager = createTrytonConnector({ url: tryton.url, username: 'admin', password: 'admin', timeoutMs: 20_000 }).rpc;
        const [{ template }] = (await manager.model('test', 'product.product', 'read', [[1], ['template']])) as [{ template: number }];
        const listPrice = (price: string) =>
          manager.model('test', 'product.template', 'write', [[template], { list_price: { __class__: 'Decimal', decimal: price } }]);
        await listPrice('19.00');
        const [raised] = (await direct.getPrices([{ scope: 'list', scopeId: 'USD', sku: 'SKU-1001' }])) as Array<{ breaks: Array<{ unitPrice: string }> }>;
        expect(raised!.breaks[0]!.unitPrice).toBe('19.00');

        const node = await eventually(
          async () => (await stack.graphql(QUOTES, {}, token)).quotes.edges.map((e: any) => e.node).find((n: any) => n.id === id),
          (n: any) => n?.status === 'QUOTED',
          20_000,
          200,
        );
        expect(node).toEqual({
          id,
          status: 'QUOTED',
          // Tryton 6.0 has no validity date: the sale date (the day of the request) + 30 days.
          validUntil: day(30),
          erpQuoteNumber: String(saleId),
          total: { amount: '80.00', currency: 'USD' },
          lines: [
            { sku: 'SKU-1001', quantity: 4, unitPrice: { amount: '11.00' } },
            { sku: 'SKU-1002', quantity: 6, unitPrice: { amount: '6.00' } },
          ],
        });

        const { acceptQuote } = await stack.graphql(ACCEPT_QUOTE, { id, idempotencyKey: 'accept-1', poNumber: 'PO-Q1' }, token);
        expect(acceptQuote.userErrors).toEqual([]);
        expect(acceptQuote.order.lines).toEqual([
          { sku: 'SKU-1001', unitPrice: { amount: '11.00' } },
          { sku: 'SKU-1002', unitPrice: { amount: '6.00' } },
        ]);
        const orderId = acceptQuote.order.id as string;
        const [order] = await eventually(
          () => sales(orderId, ['id', 'state', 'description']),
          (s) => s.length === 1 && ['confirmed', 'processing'].includes(s[0]!.state),
          30_000,
          200,
        );
        expect(order).toMatchObject({ state: expect.stringMatching(/confirmed|processing/), description: 'PO-Q1' });
        const orderLines = await tryton_('sale.line', 'search_read', [['sale', '=', order!.id]], 0, null, [['id', 'ASC']], ['product.code', 'unit_price']);
        expect(orderLines.map((l: any) => [l['product.'].code, Number(l.unit_price.decimal)])).toEqual([
          ['SKU-1001', 11],
          ['SKU-1002', 6],
        ]);
        // The quotation is closed in Tryton, with a note naming the order, once.
        await eventually(
          () => sales(`quote:${id}`),
          (s) => s[0]?.state === 'cancelled',
          20_000,
          200,
        );
        const notes = await tryton_('ir.note', 'search_read', [['resource', '=', `sale.sale,${saleId}`]], 0, null, null, ['message']);
        expect(notes.map((n: any) => n.message)).toEqual([`erpfront ACCEPT ${id}:accept order ${orderId}`]);
        expect((await stack.graphql(QUOTE, { id }, token)).quote).toMatchObject({ status: 'ACCEPTED', orderId });
        await listPrice('12.50');
      },
      SLOW,
    );

    it(
      'an expired quote is refused with QUOTE_EXPIRED, and no order reaches Tryton',
      async () => {
        const token = await stack.buyerToken('INITECH');
        const { quote } = await requestQuote(token, { lines: [{ sku: 'SKU-1002', quantity: 3 }], idempotencyKey: 'rfq-expired' });
        // Quoted on a sale date 31 days ago: valid until yesterday.
        await quoteInTryton(quote.id, { 'SKU-1002': '5.00' }, day(-31));
        const read = await eventually(
          async () => (await stack.graphql(QUOTE, { id: quote.id }, token)).quote,
          (q: any) => q.status !== 'REQUESTED',
          20_000,
          200,
        );
        expect(read).toMatchObject({ status: 'EXPIRED', validUntil: day(-1) });
        const { acceptQuote } = await stack.graphql(ACCEPT_QUOTE, { id: quote.id, idempotencyKey: 'accept-expired' }, token);
        expect(acceptQuote).toMatchObject({ order: null, userErrors: [{ code: 'QUOTE_EXPIRED' }] });
        expect((await sales(`quote:${quote.id}`))[0]!.state).toBe('quotation');
      },
      SLOW,
    );

    it(
      'a revision request and a decline are noted in Tryton once each; another customer cannot reach the quote',
      async () => {
        const token = await stack.buyerToken('INITECH');
        const { quote } = await requestQuote(token, { lines: [{ sku: 'SKU-1004', quantity: 20 }], idempotencyKey: 'rfq-revise' });
        const id = quote.id;
        const saleId = await quoteInTryton(id, { 'SKU-1004': '3.00' });
        await eventually(
          async () => (await stack.graphql(QUOTE, { id }, token)).quote.status,
          (s) => s === 'QUOTED',
          20_000,
          200,
        );
        const other = await stack.buyerToken('GLOBEX');
        expect((await stack.graphql(QUOTE, { id }, other)).quote).toBeNull();
        expect((await stack.graphql(DECLINE, { id }, other)).declineQuote.userErrors).toMatchObject([{ code: 'QUOTE_NOT_FOUND' }]);

        expect((await stack.graphql(REVISE, { id, note: 'Can you do 2.50 at 20?' }, token)).requestQuoteRevision.userErrors).toEqual([]);
        // Back to sales: the sale is a draft again in Tryton.
        await eventually(
          () => sales(`quote:${id}`),
          (s) => s[0]?.state === 'draft',
          20_000,
          200,
        );
        await quoteInTryton(id, { 'SKU-1004': '2.75' });
        await eventually(
          async () => (await stack.graphql(QUOTES, {}, token)).quotes.edges.map((e: any) => e.node).find((n: any) => n.id === id),
          (n: any) => n.status === 'QUOTED' && n.lines[0].unitPrice.amount === '2.75',
          20_000,
          200,
        );
        expect((await stack.graphql(DECLINE, { id }, token)).declineQuote).toMatchObject({ quote: { status: 'DECLINED' }, userErrors: [] });
        await eventually(
          () => sales(`quote:${id}`),
          (s) => s[0]?.state === 'cancelled',
          20_000,
          200,
        );
        expect((await stack.graphql(DECLINE, { id }, token)).declineQuote.quote.status).toBe('DECLINED');
        await new Promise((r) => setTimeout(r, 500));
        const notes = await tryton_('ir.note', 'search_read', [['resource', '=', `sale.sale,${saleId}`]], 0, null, [['id', 'ASC']], ['message']);
        expect(notes.map((n: any) => n.message.split(' ')[1])).toEqual(['REVISE', 'DECLINE']);
        expect((await stack.graphql(QUOTE, { id }, token)).quote.status).toBe('DECLINED');
      },
      SLOW,
    );

    it(
      'the reply to the create is lost: the quotation is found by its reference, not entered twice',
      async () => {
        const token = await stack.buyerToken('INITECH');
        const lostBefore = proxy.state.lost;
        proxy.state.loseReplyTo = ['"model.sale.sale.create"', '"quote:'];
        const { quote } = await requestQuote(token, { lines: [{ sku: 'SKU-1003', quantity: 2 }], idempotencyKey: 'rfq-lost-reply' });
        const known = await eventually(
          async () => (await stack.graphql(QUOTE, { id: quote.id }, token)).quote,
          (q: any) => q.erpQuoteNumber !== null,
          30_000,
          200,
        );
        expect(proxy.state.lost).toBe(lostBefore + 1);
        expect((await sales(`quote:${quote.id}`, ['id'])).map((s) => String(s.id))).toEqual([known.erpQuoteNumber]);
      },
      SLOW,
    );
  });

  describe('returns', () => {
    /** An order of 5 × SKU-1001 for Initech, placed over HTTP and shipped in Tryton. */
    async function shippedOrder(token: string, key: string): Promise<string> {
      const { placeOrder } = await stack.graphql(PLACE, { input: { idempotencyKey: key, lines: [{ sku: 'SKU-1001', quantity: 5 }] } }, token);
      expect(placeOrder.userErrors).toEqual([]);
      const id = placeOrder.order.id as string;
      const [sale] = await eventually(
        () => sales(id, ['id', 'state', 'shipments']),
        (s) => s[0]?.state === 'processing' && s[0].shipments.length > 0,
        30_000,
        200,
      );
      // The warehouse ships it, in Tryton.
      for (const shipment of sale!.shipments as number[]) {
        for (const step of ['assign_try', 'pick', 'pack', 'done']) await tryton_('stock.shipment.out', step, [shipment]);
      }
      await eventually(
        async () => (await stack.graphql(ORDER, { id }, token)).order,
        (o: any) => o?.lines[0]?.shippedQuantity === 5,
        20_000,
        200,
      );
      return id;
    }

    it(
      '2 of 5 shipped units: one return sale in Tryton though its reply is lost, then credited with the credit note linked; more than what is left is refused',
      async () => {
        const token = await stack.buyerToken('INITECH');
        const orderId = await shippedOrder(token, 'order-for-return');

        const lostBefore = proxy.state.lost;
        proxy.state.loseReplyTo = ['"model.sale.sale.create"', '"return:'];
        const input = { orderId, lines: [{ sku: 'SKU-1001', quantity: 2, reason: 'DAMAGED' }], idempotencyKey: 'rma-1' };
        const { requestReturn } = await stack.graphql(REQUEST_RETURN, { input }, token);
        expect(requestReturn.userErrors).toEqual([]);
        expect(requestReturn.returnRequest.status).toBe('REQUESTED');
        const id = requestReturn.returnRequest.id as string;
        const known = await eventually(
          async () => (await stack.graphql(RETURN, { id }, token)).returnRequest,
          (r: any) => r.erpReturnNumber !== null,
          30_000,
          200,
        );
        expect(proxy.state.lost).toBe(lostBefore + 1);
        // One return sale, as Tryton models returns: the order as origin, the quantity negative.
        const returns = await sales(`return:${id}`, ['id', 'state', 'origin']);
        expect(returns.map((r) => String(r.id))).toEqual([known.erpReturnNumber]);
        const [order] = await sales(orderId, ['id']);
        expect(returns[0]).toMatchObject({ state: 'draft', origin: `sale.sale,${order!.id}` });
        const returnLines = await tryton_('sale.line', 'search_read', [['sale', '=', returns[0]!.id]], 0, null, null, ['quantity', 'note']);
        expect(returnLines.map((l: any) => [l.quantity, l.note])).toEqual([[-2, 'Return reason: DAMAGED']]);

        // A retry is the same return; 4 more of 5 shipped with 2 being returned is refused.
        expect((await stack.graphql(REQUEST_RETURN, { input }, token)).requestReturn.returnRequest.id).toBe(id);
        const over = (
          await stack.graphql(
            REQUEST_RETURN,
            { input: { ...input, lines: [{ sku: 'SKU-1001', quantity: 4, reason: 'DAMAGED' }], idempotencyKey: 'rma-2' } },
            token,
          )
        ).requestReturn;
        expect(over).toMatchObject({ returnRequest: null, userErrors: [{ code: 'RETURN_QUANTITY_EXCEEDS_SHIPPED' }] });
        expect(await sales(`return:${id}`)).toHaveLength(1);

        // Sales authorize it in Tryton: the return shipment and the credit note are made.
        const saleId = returns[0]!.id as number;
        await tryton_('sale.sale', 'quote', [saleId]);
        await tryton_('sale.sale', 'confirm', [saleId]);
        const status = async () => (await stack.graphql(RETURN, { id }, token)).returnRequest;
        await eventually(status, (r: any) => r.status === 'AUTHORIZED', 20_000, 200);
        const [{ shipment_returns, invoices }] = await tryton_('sale.sale', 'read', [saleId], ['shipment_returns', 'invoices']);
        for (const shipment of shipment_returns) await tryton_('stock.shipment.out.return', 'receive', [shipment]);
        await eventually(status, (r: any) => r.status === 'RECEIVED', 20_000, 200);
        for (const invoice of invoices) await tryton_('account.invoice', 'post', [invoice]);
        const [memo] = await tryton_('account.invoice', 'read', invoices, ['number', 'total_amount']);
        const credited = await eventually(status, (r: any) => r.status === 'CREDITED', 20_000, 200);
        expect(memo.total_amount.decimal).toMatch(/^-27\.00?$/);
        expect(credited).toEqual({
          id,
          status: 'CREDITED',
          orderId,
          erpReturnNumber: known.erpReturnNumber,
          lines: [{ sku: 'SKU-1001', quantity: 2, reason: 'DAMAGED' }],
          // 2 × 12.50 and the demo's 8% tax, credited.
          creditMemo: { number: memo.number, total: { amount: '27.00', currency: 'USD' } },
        });
        // Among the buyer's invoices, the credit memo belongs to the order the goods came with.
        const listed = await eventually(
          async () =>
            (await stack.graphql(`{ invoices(first: 20) { edges { node { number kind orderId total { amount } } } } }`, {}, token)).invoices.edges
              .map((e: any) => e.node)
              .find((n: any) => n.number === memo.number),
          (n) => n !== undefined,
          20_000,
          200,
        );
        expect(listed).toEqual({
          number: memo.number,
          kind: 'CREDIT_MEMO',
          orderId,
          total: { amount: '-27.00' },
        });
      },
      SLOW,
    );

    it(
      'a return for another customer’s order is refused; their return is never reachable',
      async () => {
        const owner = await stack.buyerToken('INITECH');
        const orderId = await shippedOrder(owner, 'order-private-return');
        const { requestReturn } = await stack.graphql(
          REQUEST_RETURN,
          { input: { orderId, lines: [{ sku: 'SKU-1001', quantity: 1, reason: 'WRONG_ITEM' }], idempotencyKey: 'rma-private' } },
          owner,
        );
        expect(requestReturn.userErrors).toEqual([]);
        const other = await stack.buyerToken('GLOBEX');
        expect((await stack.graphql(RETURN, { id: requestReturn.returnRequest.id }, other)).returnRequest).toBeNull();
        const theirs = (
          await stack.graphql(
            REQUEST_RETURN,
            { input: { orderId, lines: [{ sku: 'SKU-1001', quantity: 1, reason: 'WRONG_ITEM' }], idempotencyKey: 'steal' } },
            other,
          )
        ).requestReturn;
        expect(theirs).toMatchObject({ returnRequest: null, userErrors: [{ code: 'ORDER_NOT_FOUND' }] });
      },
      SLOW,
    );
  });
});
