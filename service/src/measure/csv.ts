/**
 * CSV for the exports (RFC 4180): fields separated by commas, records by CRLF; a field holding a
 * comma, a double quote, CR or LF is quoted, its quotes doubled. Text that a spreadsheet would
 * run as a formula (starting with =, +, -, @, tab or CR; OWASP "CSV Injection") gets a leading
 * apostrophe. Numbers and null are written as they are (null: empty).
 */
export type CsvValue = string | number | boolean | null;

const FORMULA = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
