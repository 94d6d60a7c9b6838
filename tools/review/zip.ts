/**
 * One file out of a zip archive (a terraform plan file is one): found by
 * name in the central directory, inflated with node:zlib, and checked
 * against its CRC-32 as Go's archive/zip checks it. Stored and deflated
 * entries only; zip64, encryption and other methods are errors.
 */
import { inflateRawSync } from "zlib";
import { crc32 } from "../../modules/serverless/zip";

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/** The contents of the first entry called `name`. */
export function zipEntry(archive: Buffer, name: string): Buffer {
  const end = endOfCentralDirectory(archive);
  const count = archive.readUInt16LE(end + 10);
  const offset = archive.readUInt32LE(end + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new Error("zip: zip64 archives are not supported");
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > archive.length || archive.readUInt32LE(at) !== CENTRAL_FILE_HEADER) throw new Error("zip: bad central directory");
    const nameLength = archive.readUInt16LE(at + 28);
    const entryName = archive.toString("utf8", at + 46, at + 46 + nameLength);
    if (entryName === name) return entryData(archive, at);
    at += 46 + nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
  }
  throw new Error(`zip: no ${name} in the archive`);
}

function endOfCentralDirectory(archive: Buffer): number {
  // The record is 22 bytes plus a comment of at most 64 KiB, at the very end.
  for (let at = archive.length - 22; at >= 0 && at >= archive.length - 22 - 0xffff; at--) {
    if (archive.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  throw new Error("zip: not a zip archive");
}

function entryData(archive: Buffer, header: number): Buffer {
  const flags = archive.readUInt16LE(header + 8);
  const method = archive.readUInt16LE(header + 10);
  const crc = archive.readUInt32LE(header + 16);
  const compressedSize = archive.readUInt32LE(header + 20);
  const size = archive.readUInt32LE(header + 24);
  const local = archive.readUInt32LE(header + 42);
  if (flags & 1) throw new Error("zip: encrypted entry");
  if (local + 30 > archive.length || archive.readUInt32LE(local) !== LOCAL_FILE_HEADER) throw new Error("zip: bad local file header");
  const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
  if (start + compressedSize > archive.length) throw new Error("zip: entry runs past the end of the archive");
  const raw = archive.subarray(start, start + compressedSize);
  let data: Buffer;
  if (method === 0) data = raw;
  else if (method === 8) data = inflateRawSync(raw);
  else throw new Error(`zip: compression method ${method} is not supported`);
  if (data.length !== size || crc32(data) !== crc) throw new Error("zip: entry fails its size or CRC-32 check");
  return data;
}
