/**
 * The sandbox ERP's rendering of an invoice: a small, valid one-page PDF (PDF 1.4, Helvetica,
 * uncompressed) with the invoice's figures, so a download can be checked end to end.
 *
 * @module
 */
import type { ErpInvoice } from '../ports/erp-connector.ts';

/** The invoice as PDF bytes. */
export function invoicePdf(invoice: ErpInvoice): Uint8Array {
  const title = invoice.kind === 'CREDIT_MEMO' ? 'Credit memo' : 'Invoice';
  const lines = [
    `${title} ${invoice.number}`,
    `Customer ${invoice.customerId}`,
    `Issued ${invoice.issuedAt}, due ${invoice.dueDate}`,
    `Total ${invoice.total} ${invoice.currency}, open ${invoice.openAmount}`,
    invoice.orderNumber ? `Order ${invoice.orderNumber}` : '',
  ].filter((l) => l !== '');
  const text = lines.map((line, i) => `BT /F1 12 Tf 72 ${720 - i * 18} Td (${escapePdf(line)}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  // Every character above is ASCII: one byte each, so the offsets are byte offsets.
  return new TextEncoder().encode(pdf);
}

function escapePdf(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').replace(/[\\()]/g, (c) => `\\${c}`);
}
