/**
 * PDQ hashes of image files on the server (the `cheongwon desk hash` command, tests, benchmarks), decoding with
 * sharp (libvips: JPEG, PNG, WebP, GIF, AVIF, TIFF, HEIF where its build has them).
 *
 * The steps, the same as the victim page's Web Worker takes in the browser (src/browser/pdq-worker.ts):
 *  - the image is decoded upright: its EXIF orientation is applied, as a person sees it and as platforms that
 *    strip EXIF store it (the 8 dihedral hashes match the other orientations anyway);
 *  - colour is converted to sRGB (an embedded ICC profile is honoured, CMYK converted), alpha is ignored;
 *  - an image larger than 512 px is reduced to exactly `pdqWorkingSize(width, height)` (aspect ratio kept), as
 *    Meta's reference tools reduce before hashing; libvips decodes large JPEGs at 1/2, 1/4 or 1/8 scale first
 *    when that is still larger (shrink-on-load), which is what makes ≥ 50 photos a second possible;
 *  - the pixels go to the one TypeScript PDQ (src/domain/pdq/pdq.ts).
 */
import sharp from 'sharp';
import {
  type PdqDihedralResult,
  type PdqResult,
  type PixelBuffer,
  pdqDihedralFromPixels,
  pdqHashFromPixels,
  pdqWorkingSize,
} from '../domain/pdq/pdq.js';

/** A hash with the size of the image it came from (upright, before any reduction). */
export interface ImagePdq extends PdqResult {
  width: number;
  height: number;
}

export interface ImagePdqDihedral extends PdqDihedralResult {
  width: number;
  height: number;
}

/** The resampling kernel that reduces large images (libvips'; see BENCHMARKS.md "PDQ hashing"). */
const KERNEL = 'lanczos3' as const;

/**
 * Decodes an image to the pixels PDQ hashes: upright, sRGB, at most 512 × 512.
 * @param input a file path or the file's bytes
 * @throws Error (from sharp) when the input is not an image sharp can decode
 */
export async function decodeForPdq(
  input: string | Buffer,
): Promise<PixelBuffer & { sourceWidth: number; sourceHeight: number }> {
  const image = sharp(input, { autoOrient: true });
  const { width, height } = (await image.metadata()).autoOrient;
  const target = pdqWorkingSize(width, height);
  if (target.width !== width || target.height !== height) {
    image.resize(target.width, target.height, { fit: 'fill', kernel: KERNEL });
  }
  const { data, info } = await image.toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return {
    data,
    width: info.width,
    height: info.height,
    channels: info.channels as PixelBuffer['channels'],
    sourceWidth: width,
    sourceHeight: height,
  };
}

/**
 * The PDQ hash and quality of an image file (see the module comment for the steps).
 * @throws Error when the input is not an image sharp can decode
 */
export async function pdqHashImage(input: string | Buffer): Promise<ImagePdq> {
  const pixels = await decodeForPdq(input);
  return { ...pdqHashFromPixels(pixels), width: pixels.sourceWidth, height: pixels.sourceHeight };
}

/** The eight dihedral PDQ hashes of an image file. */
export async function pdqDihedralImage(input: string | Buffer): Promise<ImagePdqDihedral> {
  const pixels = await decodeForPdq(input);
  return { ...pdqDihedralFromPixels(pixels), width: pixels.sourceWidth, height: pixels.sourceHeight };
}
