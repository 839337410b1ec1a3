// A file's size as people read it, on pages, in the disclosure log and in messages: "812 bytes", "14 KB",
// "2.5 MB". Kilobytes are rounded up, so that a size is never shown smaller than it is (a limit's message
// then never reads "larger than 4 KB (4 KB)").

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, "")} MB`;
}
