/**
 * A customer invoice's document as Tryton renders it: its report `account.invoice`
 * (`report.account.invoice.execute([id], {})` → `[format, content, direct_print, name]`).
 *
 * Tryton 6.0 renders the report's template in the template's own format, ODT, unless a converter
 * (LibreOffice) is installed on the server and the report asks for another; a posted invoice
 * keeps its first rendering (`invoice_report_cache`), so the document a buyer downloads is the one
 * the invoice was posted with. The content comes base64-encoded inside the JSON-RPC answer: it
 * cannot be streamed from Tryton, so it is read whole — within the RPC's size bound and timeout —
 * and passed on as a stream of its bytes.
 *
 * Two calls: the invoice by number (its id and party, which is whose it is), then the report.
 *
 * @module
 */
import { z } from 'zod';
import type { ErpCallOptions, ErpInvoiceDocument } from '../../../ports/erp-connector.ts';
import type { TrytonRpc } from './json-rpc.ts';
import { id, parseAnswer, related } from './values.ts';

const OPERATION = 'getInvoiceDocument';

/** What a document of each format is served as; anything else is opaque bytes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  odt: 'application/vnd.oasis.opendocument.text',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  txt: 'text/plain; charset=utf-8',
};

const InvoiceRows = z.array(z.object({ id, number: z.string(), 'party.': related({ code: z.string().nullable() }) }));

/** Tryton encodes `bytes` as `{"__class__": "bytes", "base64": …}`; a text report comes as a string. */
const Content = z.union([
  z.object({ __class__: z.literal('bytes'), base64: z.string() }).transform((b, ctx) => {
    try {
      return decodeBase64(b.base64);
    } catch {
      ctx.issues.push({ code: 'custom', message: 'expected base64', input: b.base64 });
      return z.NEVER;
    }
  }),
  z.string().transform((s) => new TextEncoder().encode(s)),
]);
const ReportAnswer = z.tuple([z.string().regex(/^[a-z0-9]{1,10}$/, { error: 'expected a file extension' }), Content]).rest(z.unknown());

/** The document of the posted customer invoice `number`, or `null` when Tryton has none such. */
export async function getInvoiceDocument(rpc: TrytonRpc, number: string, options?: ErpCallOptions): Promise<ErpInvoiceDocument | null> {
  const rows = parseAnswer(
    InvoiceRows,
    await rpc.model(
      OPERATION,
      'account.invoice',
      'search_read',
      [
        [
          ['number', '=', number],
          ['type', '=', 'out'],
          ['state', 'in', ['posted', 'paid']],
        ],
        0,
        2,
        null,
        ['number', 'party.code'],
      ],
      {},
      options,
    ),
    OPERATION,
    'invoice',
  );
  // Numbers are unique per company sequence; two matches would leave "whose is it" open: none then.
  const invoice = rows.length === 1 ? rows[0]! : null;
  const customerId = invoice?.['party.']?.code;
  if (!invoice || !customerId) return null;
  const [format, bytes] = parseAnswer(ReportAnswer, await rpc.report(OPERATION, 'account.invoice', [invoice.id], {}, options), OPERATION, 'invoice report');
  return {
    customerId,
    contentType: CONTENT_TYPES[format] ?? 'application/octet-stream',
    // Tryton's numbers hold slashes (`INV/2026/4`); a file name cannot.
    fileName: `${invoice.number.replace(/[^A-Za-z0-9._-]+/g, '-')}.${format}`,
    byteLength: bytes.byteLength,
    body: new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    }),
  };
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
