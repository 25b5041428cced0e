/** Text for HTML and SVG markup: element content and double-quoted attribute values alike. */
export function escapeMarkup(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
