import { constants, crc32, createInflateRaw, deflateRawSync, inflateRawSync } from "node:zlib";
import { Inflate } from "fflate";
import { FileRefused } from "./findings.ts";

/** Bounds on unzipping, so a zip bomb is refused with a clear error instead of exhausting memory. */
export interface ZipLimits {
  /** Uncompressed bytes of one entry. */
  entryBytes: number;
  /** Uncompressed bytes of all entries read from one archive. */
  totalBytes: number;
  /** Uncompressed size over compressed size, for entries larger than `ratioFloorBytes`. */
  ratio: number;
  ratioFloorBytes: number;
  entries: number;
}

export const defaultZipLimits: ZipLimits = {
  entryBytes: 1024 * 1024 * 1024,
  totalBytes: 2 * 1024 * 1024 * 1024,
  ratio: 250,
  ratioFloorBytes: 10 * 1024 * 1024,
  entries: 20_000,
};

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  /** As declared by the archive; reading never trusts it. */
  declaredSize: number;
  dataStart: number;
}

export interface ZipArchive {
  entries: Map<string, ZipEntry>;
  /** Streams one entry's uncompressed bytes to `onChunk`, enforcing the limits as bytes arrive. */
  stream(name: string, onChunk: (chunk: Uint8Array) => void): void;
  /** One entry whole (for small parts), or undefined when the archive has no such entry. */
  read(name: string): Uint8Array | undefined;
  /**
   * One entry's uncompressed bytes in pieces of at most 64 KB, unpacked by the platform's zlib (several times
   * faster than `stream`, which is synchronous) within the same limits: for the parts that grow with the file.
   */
  chunks(name: string): AsyncGenerator<Uint8Array>;
}

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) =>
  (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
  );
}

const chunkSize = 64 * 1024;
/** Parts packed smaller than this are inflated at once (fast); larger ones stream in `streamChunk` pieces. */
const wholeEntryBytes = 4 * 1024 * 1024;
const streamChunk = 256 * 1024;

/** Reads a ZIP archive's central directory; entries are decompressed on demand, within `limits`. */
export function openZip(bytes: Uint8Array, limits: ZipLimits = defaultZipLimits): ZipArchive {
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 65_557); at--) {
    if (u32(bytes, at) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new FileRefused("the file is damaged: it is not a complete ZIP archive");
  const count = u16(bytes, eocd + 10);
  let at = u32(bytes, eocd + 16);
  if (count === 0xffff || at === 0xffffffff)
    throw new FileRefused("the archive is in ZIP64 form, which is not read: save it again smaller");
  if (count > limits.entries) throw new FileRefused(`the archive has more than ${limits.entries} parts`);
  const entries = new Map<string, ZipEntry>();
  for (let index = 0; index < count; index++) {
    if (at + 46 > bytes.length || u32(bytes, at) !== 0x02014b50)
      throw new FileRefused("the file is damaged: its ZIP directory is broken");
    const flags = u16(bytes, at + 8);
    const method = u16(bytes, at + 10);
    const compressedSize = u32(bytes, at + 20);
    const declaredSize = u32(bytes, at + 24);
    const nameLength = u16(bytes, at + 28);
    const extraLength = u16(bytes, at + 30);
    const commentLength = u16(bytes, at + 32);
    const local = u32(bytes, at + 42);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (flags & 1) throw new FileRefused("the file is encrypted or password-protected");
    if (local + 30 > bytes.length || u32(bytes, local) !== 0x04034b50)
      throw new FileRefused(`the file is damaged: part ${name} is missing`);
    const dataStart = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28);
    if (dataStart + compressedSize > bytes.length)
      throw new FileRefused(`the file is damaged: part ${name} is cut short`);
    if (method !== 0 && method !== 8)
      throw new FileRefused(`part ${name} uses a compression method that is not read (${method})`);
    entries.set(name, { name, method, compressedSize, declaredSize, dataStart });
    at += 46 + nameLength + extraLength + commentLength;
  }
  let total = 0;

  /**
   * The part called `name`, its packed bytes, and a counter every unpacked chunk passes through, which
   * refuses the archive as a zip bomb once the part or the whole expands beyond the limits.
   */
  function opened(name: string) {
    const entry = entries.get(name);
    if (!entry) throw new FileRefused(`the archive has no part ${name}`);
    const data = bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
    let produced = 0;
    const count = (chunk: Uint8Array) => {
      produced += chunk.length;
      total += chunk.length;
      if (produced > limits.entryBytes || total > limits.totalBytes)
        throw new FileRefused(`refused as a zip bomb: part ${name} expands beyond the size limit`);
      if (produced > limits.ratioFloorBytes && produced > limits.ratio * Math.max(1, entry.compressedSize))
        throw new FileRefused(
          `refused as a zip bomb: part ${name} expands more than ${limits.ratio} times its packed size`,
        );
      return chunk;
    };
    return { entry, data, count };
  }

  function stream(name: string, onChunk: (chunk: Uint8Array) => void): void {
    const { entry, data, count } = opened(name);
    let consumerError: unknown;
    const take = (chunk: Uint8Array) => {
      count(chunk);
      try {
        onChunk(chunk);
      } catch (error) {
        consumerError = error;
        throw error;
      }
    };
    if (entry.method === 0) {
      for (let offset = 0; offset < data.length; offset += chunkSize)
        take(data.subarray(offset, offset + chunkSize));
      return;
    }
    try {
      if (entry.compressedSize <= wholeEntryBytes) {
        // Small parts: native zlib at once, its output capped where the limits would stop it anyway.
        const cap = Math.min(
          limits.entryBytes,
          Math.max(limits.ratioFloorBytes, limits.ratio * Math.max(1, entry.compressedSize)) + 1,
        );
        let out: Uint8Array;
        try {
          out = inflateRawSync(data, { maxOutputLength: cap });
        } catch (error) {
          if (error instanceof RangeError)
            throw new FileRefused(
              `refused as a zip bomb: part ${name} expands beyond ${cap - 1} bytes from ${entry.compressedSize}`,
            );
          throw error;
        }
        for (let offset = 0; offset < out.length; offset += chunkSize)
          take(out.subarray(offset, offset + chunkSize));
        return;
      }
      // Large parts stream through, so memory stays a chunk's worth however big the part is.
      const inflate = new Inflate((chunk) => take(chunk));
      for (let offset = 0; offset < data.length; offset += streamChunk)
        inflate.push(data.subarray(offset, offset + streamChunk), offset + streamChunk >= data.length);
    } catch (error) {
      if (error instanceof FileRefused || error === consumerError) throw error;
      throw new FileRefused(`the file is damaged: part ${name} cannot be unpacked`);
    }
  }

  async function* chunks(name: string): AsyncGenerator<Uint8Array> {
    const { entry, data, count } = opened(name);
    if (entry.method === 0) {
      for (let offset = 0; offset < data.length; offset += chunkSize)
        yield count(data.subarray(offset, offset + chunkSize));
      return;
    }
    // zlib reads the packed bytes only as fast as its output is taken, so memory stays a few pieces; leaving
    // the loop early (a limit, a damaged part, a reader that has seen enough) destroys the stream.
    const inflate = createInflateRaw({ chunkSize });
    const pieces = inflate[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    inflate.end(data);
    try {
      for (;;) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await pieces.next();
        } catch {
          throw new FileRefused(`the file is damaged: part ${name} cannot be unpacked`);
        }
        if (next.done) return;
        yield count(next.value);
      }
    } finally {
      inflate.destroy();
    }
  }

  function read(name: string): Uint8Array | undefined {
    if (!entries.has(name)) return undefined;
    const chunks: Uint8Array[] = [];
    stream(name, (chunk) => chunks.push(chunk.slice()));
    return concat(chunks);
  }

  return { entries, stream, read, chunks };
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

const fixedDosDate = (0 << 9) | (1 << 5) | 1; // 1 January 1980: a clean copy says nothing of when it was made

/** One part being written: text or bytes in, compressed as it comes (memory holds the compressed part). */
export interface ZipEntryWriter {
  write(content: string | Uint8Array): void;
  end(): void;
}

/**
 * Writes an archive part by part with the platform's zlib. Each part is deflated in pieces flushed to a byte
 * boundary, which together form one valid deflate stream, so a million-cell sheet never sits in memory whole.
 */
export class ZipWriter {
  private readonly chunks: Uint8Array[] = [];
  private readonly central: Uint8Array[] = [];
  private offset = 0;
  private readonly encoder = new TextEncoder();

  /** Starts a part; `level` 0 stores it (ODF's `mimetype` must be stored), 1 is fast, 6 is small. */
  entry(name: string, level: 0 | 1 | 6 = 6): ZipEntryWriter {
    const pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const compressed: Uint8Array[] = [];
    let crc = 0;
    let size = 0;
    const flush = (final: boolean) => {
      const data = pending.length === 1 ? pending[0]! : concat(pending);
      pending.length = 0;
      pendingBytes = 0;
      crc = crc32(data, crc);
      size += data.length;
      if (level === 0) compressed.push(data);
      else
        compressed.push(
          deflateRawSync(data, { level, finishFlush: final ? constants.Z_FINISH : constants.Z_SYNC_FLUSH }),
        );
    };
    return {
      write: (content) => {
        const data = typeof content === "string" ? this.encoder.encode(content) : content;
        pending.push(data);
        pendingBytes += data.length;
        if (pendingBytes >= 1 << 20) flush(false);
      },
      end: () => {
        flush(true);
        this.add(name, level === 0 ? 0 : 8, crc, size, compressed);
      },
    };
  }

  private add(name: string, method: number, crc: number, size: number, data: Uint8Array[]): void {
    const nameBytes = this.encoder.encode(name);
    const compressedSize = data.reduce((sum, chunk) => sum + chunk.length, 0);
    const header = (length: number, central: boolean) => {
      const bytes = new Uint8Array(length + nameBytes.length);
      const view = new DataView(bytes.buffer);
      let at = 0;
      const u16 = (value: number) => {
        view.setUint16(at, value, true);
        at += 2;
      };
      const u32 = (value: number) => {
        view.setUint32(at, value >>> 0, true);
        at += 4;
      };
      u32(central ? 0x02014b50 : 0x04034b50);
      if (central) u16(20);
      u16(20);
      u16(0x0800); // names are UTF-8
      u16(method);
      u16(0);
      u16(fixedDosDate);
      u32(crc);
      u32(compressedSize);
      u32(size);
      u16(nameBytes.length);
      u16(0);
      if (central) {
        u16(0);
        u16(0);
        u16(0);
        u32(0);
        u32(this.offset);
      }
      bytes.set(nameBytes, at);
      return bytes;
    };
    const local = header(30, false);
    this.central.push(header(46, true));
    this.chunks.push(local, ...data);
    this.offset += local.length + compressedSize;
  }

  /** The finished archive. */
  finish(): Uint8Array {
    const directory = concat(this.central);
    const end = new Uint8Array(22);
    const view = new DataView(end.buffer);
    view.setUint32(0, 0x06054b50, true);
    view.setUint16(8, this.central.length, true);
    view.setUint16(10, this.central.length, true);
    view.setUint32(12, directory.length, true);
    view.setUint32(16, this.offset, true);
    return concat([...this.chunks, directory, end]);
  }
}

/**
 * Writes a new archive from parts (text or bytes). The first part is stored uncompressed, as ODF requires of
 * its `mimetype`; the rest are deflated.
 */
export function writeZip(parts: readonly [string, string | Uint8Array][]): Uint8Array {
  const zip = new ZipWriter();
  parts.forEach(([name, content], index) => {
    const entry = zip.entry(name, index === 0 && name === "mimetype" ? 0 : 6);
    entry.write(content);
    entry.end();
  });
  return zip.finish();
}
