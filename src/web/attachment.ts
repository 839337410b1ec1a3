/**
 * `Content-Disposition` for a file sent as a download: a plain-ASCII fallback name, and the exact name in
 * RFC 6266 / RFC 5987 form, so a browser saves it rather than rendering a case file as one of our pages.
 */
export function attachmentHeader(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
