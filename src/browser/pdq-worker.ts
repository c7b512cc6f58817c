/**
 * The victim page's hashing Web Worker: turns a file the person chose into the hash that may leave their device.
 * The file itself, its name and its metadata (EXIF) never leave the worker; only the hash and quality are posted
 * back. Built by esbuild from this file and the shared PDQ (src/domain/pdq/pdq.ts) into one classic-worker script
 * the app serves under /assets/ (src/http/browser-bundles.ts), so the browser and `cheongwon desk hash` run the
 * same code.
 *
 * Message protocol (postMessage, structured clone):
 *   page → worker  {@link HashRequest}:  { id?: number, file: Blob | File }
 *   worker → page  {@link HashResponse}, `id` echoed:
 *     { kind: 'pdq', hash, quality, width, height }   an image (type image/*, or anything that decodes as one):
 *                                                      PDQ of the upright, sRGB pixels, reduced to fit 512 × 512
 *                                                      as on the server; width × height is the image's own size
 *     { kind: 'md5', hash, bytes }                     a video (type video/*): MD5 of the bytes, read in chunks
 *     { kind: 'error', code, message }                 code 'unsupported' (neither), 'decode_failed' (a broken
 *                                                      image), 'read_failed' (the file could not be read)
 * One worker may take several requests; they are answered in order.
 */
import { md5 } from '@noble/hashes/legacy.js';
import { pdqHashFromRgba, pdqWorkingSize } from '../domain/pdq/pdq.js';

export interface HashRequest {
  id?: number;
  file: Blob;
}

export type HashResponse =
  | { id?: number; kind: 'pdq'; hash: string; quality: number; width: number; height: number }
  | { id?: number; kind: 'md5'; hash: string; bytes: number }
  | { id?: number; kind: 'error'; code: 'unsupported' | 'decode_failed' | 'read_failed'; message: string };

// The browser APIs used here (this file is type-checked with the project's Node-only library settings).
interface ImageBitmapLike {
  readonly width: number;
  readonly height: number;
  close(): void;
}
interface Context2dLike {
  drawImage(image: ImageBitmapLike, x: number, y: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
}
interface WorkerScope {
  onmessage: ((event: { data: HashRequest }) => void) | null;
  postMessage(message: HashResponse): void;
  createImageBitmap(
    image: Blob | ImageBitmapLike,
    options?: {
      resizeWidth?: number;
      resizeHeight?: number;
      resizeQuality?: 'pixelated' | 'low' | 'medium' | 'high';
    },
  ): Promise<ImageBitmapLike>;
  OffscreenCanvas: new (
    width: number,
    height: number,
  ) => { getContext(type: '2d', options?: { willReadFrequently?: boolean }): Context2dLike | null };
}

declare const self: WorkerScope;

/**
 * The pixels PDQ hashes, as the server's sharp pipeline makes them: decoded upright (EXIF orientation applied, the
 * browser's default) in sRGB, then — when larger than 512 px — resized to exactly `pdqWorkingSize`.
 */
async function imagePdq(file: Blob): Promise<HashResponse> {
  let bitmap: ImageBitmapLike;
  try {
    bitmap = await self.createImageBitmap(file);
  } catch (error) {
    return { kind: 'error', code: 'decode_failed', message: `not a decodable image: ${String(error)}` };
  }
  const { width, height } = bitmap;
  const target = pdqWorkingSize(width, height);
  if (target.width !== width || target.height !== height) {
    const resized = await self.createImageBitmap(bitmap, {
      resizeWidth: target.width,
      resizeHeight: target.height,
      resizeQuality: 'high',
    });
    bitmap.close();
    bitmap = resized;
  }
  const canvas = new self.OffscreenCanvas(target.width, target.height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return { kind: 'error', code: 'decode_failed', message: 'no 2d canvas in this browser' };
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data } = context.getImageData(0, 0, target.width, target.height);
  const { hash, quality } = pdqHashFromRgba(data, target.width, target.height);
  return { kind: 'pdq', hash, quality, width, height };
}

/** MD5 of the file's bytes, read a chunk at a time so a long video needs little memory. */
async function fileMd5(file: Blob): Promise<HashResponse> {
  const digest = md5.create();
  let bytes = 0;
  try {
    const reader = file.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      digest.update(value);
      bytes += value.length;
    }
  } catch (error) {
    return { kind: 'error', code: 'read_failed', message: `the file could not be read: ${String(error)}` };
  }
  let hex = '';
  for (const b of digest.digest()) hex += b.toString(16).padStart(2, '0');
  return { kind: 'md5', hash: hex, bytes };
}

/** What a request is answered with (exported for tests; the worker calls it for each message). */
export async function hashFile(file: Blob): Promise<HashResponse> {
  const type = file.type.toLowerCase();
  if (type.startsWith('video/')) return fileMd5(file);
  const result = await imagePdq(file);
  if (result.kind === 'error' && !type.startsWith('image/')) {
    return { kind: 'error', code: 'unsupported', message: 'neither an image nor a video' };
  }
  return result;
}

let queue: Promise<void> = Promise.resolve();
if (typeof self !== 'undefined' && 'postMessage' in self) {
  self.onmessage = (event) => {
    const { id, file } = event.data;
    queue = queue.then(async () => {
      let response: HashResponse;
      try {
        response = await hashFile(file);
      } catch (error) {
        response = { kind: 'error', code: 'decode_failed', message: String(error) };
      }
      self.postMessage(id === undefined ? response : { ...response, id });
    });
  };
}
