// Input as it arrives, made safe once at the boundary: before any route, service or query sees it.

/**
 * A copy of parsed input (a form, a query, a JSON body, path parameters) without U+0000: PostgreSQL cannot
 * store it in text, and no person types it. Taken out once, as the input arrives, so that no route, service or
 * query ever sees it. Files (Buffers) are left as they are.
 */
export function withoutNul<T>(value: T): T {
  if (typeof value === "string")
    return (value.includes("\u0000") ? value.replaceAll("\u0000", "") : value) as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (!value || typeof value !== "object" || ArrayBuffer.isView(value)) return value;
  // Plain data only (parsers make objects without a prototype, or on one without a constructor); an
  // instance of a class is not parsed input.
  const proto: object | null = Object.getPrototypeOf(value);
  if (proto !== null && proto !== Object.prototype && Object.hasOwn(proto, "constructor")) return value;
  const copy = Object.create(proto) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value))
    Object.defineProperty(copy, withoutNul(key), {
      value: withoutNul(item),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return copy as T;
}

/**
 * A same-origin path safe to send in a `Location` header, or `fallback`: anything that would leave the site
 * (`//host`, a backslash, a scheme) is refused, and characters a header cannot carry (controls, non-ASCII) are
 * percent-encoded, as a browser would send them.
 */
export function sameSitePath(path: string | undefined, fallback: string): string {
  if (!path?.startsWith("/") || path.startsWith("//") || /[\\\r\n\t]/.test(path)) return fallback;
  const origin = "http://same-site.invalid";
  let url: URL;
  try {
    url = new URL(path, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== origin) return fallback;
  const located = `${url.pathname}${url.search}${url.hash}`;
  return /^[\x21-\x7e]*$/.test(located) ? located : fallback;
}
