// HTML for webviews, without VS Code (so pages can be tested in Node): escaping of every string
// that came from elsewhere.

/** Text or a double- or single-quoted attribute value: `& < > " '` as entities. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
