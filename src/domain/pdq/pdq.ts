/**
 * PDQ, Meta's 256-bit perceptual image hash, in TypeScript: one source for the browser (the victim page's Web
 * Worker) and Node (`cheongwon desk hash`, tests). Pure: no I/O, no `node:` imports; pixels in, hash out.
 *
 * The algorithm is Meta's (ThreatExchange `pdq/`, the 2017 PDQ paper `hashing/hashing.pdf`), followed step by step
 * as the C++ reference `pdq/cpp/hashing/pdqhashing.cpp` and `pdq/cpp/downscaling/downscaling.cpp` compute it, in
 * 32-bit floating point like the reference (every intermediate is rounded to float32, so the same decoded pixels
 * give the same bits):
 *  1. luminance Y = 0.299 R + 0.587 G + 0.114 B per pixel;
 *  2. a Jarosz tent filter (two passes of 1-D box filters along rows then columns, window ⌈dimension / 128⌉)
 *     and decimation to 64 × 64 by sampling the filtered image at the cell centres;
 *  3. quality: the sum of quantised neighbour gradients of the 64 × 64 image, / 90, capped at 100;
 *  4. the 16 × 16 lowest non-constant frequencies of the 2-D DCT-II of the 64 × 64 image;
 *  5. bit = coefficient > the median of the 256 (Torben's median).
 * The eight dihedral hashes (rotations and flips) come from sign changes and transposes of the DCT output, as in
 * the reference, so they are consistent by construction.
 *
 * These functions hash the pixels they are given, at any size (fed Meta's test photos at full resolution they give
 * the Java reference's hashes bit for bit). Like the reference tools, the callers that decode files first reduce
 * images larger than 512 px to {@link pdqWorkingSize} (the image library's resampler does that, in the browser
 * and on the server): see {@link PDQ_WORKING_SIZE}.
 */

/** A PDQ hash with its quality (0–100; Meta recommends not matching hashes of quality < 50). */
export interface PdqResult {
  /** 64 lower-case hex digits. All zeros (quality 0) for an image smaller than 5 px in either dimension. */
  hash: string;
  /** 0–100: how much significant gradient the image has (a flat or tiny image scores low). */
  quality: number;
}

/** The names of the eight dihedral transforms, in the reference's order. */
export const DIHEDRAL_NAMES = [
  'original',
  'rotate90',
  'rotate180',
  'rotate270',
  'flipX',
  'flipY',
  'flipPlus1',
  'flipMinus1',
] as const;
export type DihedralName = (typeof DIHEDRAL_NAMES)[number];

/** The hashes of the image in its 8 rotations and flips (what the image would hash to if so transformed). */
export interface PdqDihedralResult {
  hashes: Record<DihedralName, string>;
  quality: number;
}

/** Pixels as decoded: `channels` bytes a pixel, row-major, no padding. 1 = grey, 2 = grey + alpha, 3 = RGB, 4 = RGBA. */
export interface PixelBuffer {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** The reference's minimum: a smaller image gets the all-zero hash and quality 0. */
export const PDQ_MIN_DIMENSION = 5;

/**
 * The largest side an image is hashed at. Larger images are first reduced to fit within 512 × 512 with their
 * aspect ratio kept, as Meta's Python reference does (`img.thumbnail((512, 512))`; the C++ tool also reduces to
 * 512). Measured on Meta's 1600 × 1004 test photos, this lands closer to the C++ and Python reference hashes than
 * hashing the full resolution (test/pdq-reference.test.ts), and it lets the browser decode a 12-megapixel photo
 * straight to the working size.
 */
export const PDQ_WORKING_SIZE = 512;

/**
 * The size an image of `width` × `height` is hashed at: itself when both sides are ≤ 512, otherwise scaled to fit
 * within 512 × 512 (aspect ratio kept, each side rounded to the nearest pixel, at least 1). The browser and the
 * server both resize to exactly this, so they hash the same grid.
 */
export function pdqWorkingSize(width: number, height: number): { width: number; height: number } {
  if (width <= PDQ_WORKING_SIZE && height <= PDQ_WORKING_SIZE) return { width, height };
  const scale = PDQ_WORKING_SIZE / Math.max(width, height);
  return {
    width: Math.max(1, Math.min(PDQ_WORKING_SIZE, Math.round(width * scale))),
    height: Math.max(1, Math.min(PDQ_WORKING_SIZE, Math.round(height * scale))),
  };
}

const f32 = Math.fround;
const LUMA_R = f32(0.299);
const LUMA_G = f32(0.587);
const LUMA_B = f32(0.114);
// float products coefficient × byte, as the reference computes them
const LUMA_R_TABLE = new Float32Array(256);
const LUMA_G_TABLE = new Float32Array(256);
const LUMA_B_TABLE = new Float32Array(256);
for (let v = 0; v < 256; v++) {
  LUMA_R_TABLE[v] = LUMA_R * v;
  LUMA_G_TABLE[v] = LUMA_G * v;
  LUMA_B_TABLE[v] = LUMA_B * v;
}

/** 16 × 64 DCT-II rows 1–16 (row 0, the constant, is left out), scaled by √(2/64), as float32. */
const DCT_16x64 = (() => {
  const d = new Float32Array(16 * 64);
  const scale = f32(Math.sqrt(2 / 64));
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) d[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
  }
  return d;
})();

/**
 * Luminance of each pixel as float32, row-major (the reference's `fillFloatLumaFromRGB`/`fillFloatLumaFromGrey`).
 * Alpha is ignored, as the reference ignores it.
 * @throws RangeError when the buffer is shorter than width × height × channels
 */
export function lumaFromPixels(pixels: PixelBuffer): Float32Array {
  const { data, width, height, channels } = pixels;
  const n = width * height;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`image dimensions must be whole numbers, not ${width} × ${height}`);
  }
  if (data.length < n * channels) {
    throw new RangeError(
      `${width} × ${height} × ${channels} needs ${n * channels} bytes, got ${data.length}`,
    );
  }
  const luma = new Float32Array(n);
  if (channels >= 3) {
    for (let p = 0, q = 0; p < n; p++, q += channels) {
      // ((R·cR + G·cG) + B·cB), each step rounded to float32 (the Float32Array store rounds the last)
      luma[p] =
        f32((LUMA_R_TABLE[data[q] as number] as number) + (LUMA_G_TABLE[data[q + 1] as number] as number)) +
        (LUMA_B_TABLE[data[q + 2] as number] as number);
    }
  } else {
    for (let p = 0, q = 0; p < n; p++, q += channels) luma[p] = data[q] as number;
  }
  return luma;
}

/**
 * PDQ hash and quality of an RGBA image (what a canvas's `getImageData` and sharp's `.ensureAlpha().raw()` give).
 * @param rgba width × height × 4 bytes, row-major
 * @param width pixels
 * @param height pixels
 * @throws RangeError when the buffer is too short for the dimensions
 */
export function pdqHashFromRgba(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
): PdqResult {
  return pdqHashFromLuma(lumaFromPixels({ data: rgba, width, height, channels: 4 }), width, height);
}

/** PDQ hash and quality of decoded pixels with 1–4 channels (see {@link PixelBuffer}). */
export function pdqHashFromPixels(pixels: PixelBuffer): PdqResult {
  return pdqHashFromLuma(lumaFromPixels(pixels), pixels.width, pixels.height);
}

/**
 * PDQ hash and quality of a luminance image (float values 0–255, row-major). The buffer is used as scratch space
 * and is overwritten.
 * @throws RangeError when the buffer is shorter than width × height
 */
export function pdqHashFromLuma(luma: Float32Array, width: number, height: number): PdqResult {
  const dct = pdqDctFromLuma(luma, width, height);
  if (!dct) return { hash: '0'.repeat(64), quality: 0 };
  return { hash: bitsToHex(dct.coefficients), quality: dct.quality };
}

/**
 * The eight dihedral PDQ hashes of a luminance image (overwritten as scratch), from one DCT: what the image
 * rotated by 90°, 180°, 270° and flipped about its horizontal, vertical and two diagonal axes would hash to. PDQ
 * is not exactly rotation-invariant (the downsampling grid is not symmetric), so hashing a rotated copy of the
 * pixels gives a hash a few bits from the corresponding dihedral hash, not necessarily the same one.
 */
export function pdqDihedralFromLuma(luma: Float32Array, width: number, height: number): PdqDihedralResult {
  const dct = pdqDctFromLuma(luma, width, height);
  if (!dct) {
    const zero = '0'.repeat(64);
    return {
      hashes: Object.fromEntries(DIHEDRAL_NAMES.map((n) => [n, zero])) as PdqDihedralResult['hashes'],
      quality: 0,
    };
  }
  const a = dct.coefficients;
  const hashes = {} as Record<DihedralName, string>;
  for (const name of DIHEDRAL_NAMES) hashes[name] = bitsToHex(dihedralDct(a, name));
  return { hashes, quality: dct.quality };
}

/** {@link pdqDihedralFromLuma} for an RGBA image. */
export function pdqDihedral(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
): PdqDihedralResult {
  return pdqDihedralFromLuma(lumaFromPixels({ data: rgba, width, height, channels: 4 }), width, height);
}

/** {@link pdqDihedralFromLuma} for decoded pixels with 1–4 channels. */
export function pdqDihedralFromPixels(pixels: PixelBuffer): PdqDihedralResult {
  return pdqDihedralFromLuma(lumaFromPixels(pixels), pixels.width, pixels.height);
}

/**
 * Steps 2–4: the 16 × 16 DCT coefficients (row-major) and the quality, or null for an image under 5 px.
 * Exported for tests and tools that want the float hash; `luma` is overwritten.
 */
export function pdqDctFromLuma(
  luma: Float32Array,
  width: number,
  height: number,
): { coefficients: Float32Array; quality: number } | null {
  if (luma.length < width * height)
    throw new RangeError(`${width} × ${height} needs ${width * height} values`);
  if (width < PDQ_MIN_DIMENSION || height < PDQ_MIN_DIMENSION) return null;
  const scratch = new Float32Array(width * height);
  const windowAlongRows = jaroszWindowSize(width, 64);
  const windowAlongCols = jaroszWindowSize(height, 64);
  for (let pass = 0; pass < 2; pass++) {
    boxAlongRows(luma, scratch, height, width, windowAlongRows);
    boxAlongCols(scratch, luma, height, width, windowAlongCols);
  }
  const small = new Float32Array(64 * 64);
  for (let i = 0; i < 64; i++) {
    const row = Math.trunc(((i + 0.5) * height) / 64);
    for (let j = 0; j < 64; j++) {
      small[i * 64 + j] = luma[row * width + Math.trunc(((j + 0.5) * width) / 64)] as number;
    }
  }
  return { coefficients: dct64To16(small), quality: imageDomainQuality(small) };
}

/** The reference's `computeJaroszFilterWindowSize`: ⌈old / (2·new)⌉, half a 64th of the dimension per pass. */
function jaroszWindowSize(oldDimension: number, newDimension: number): number {
  return Math.trunc((oldDimension + 2 * newDimension - 1) / (2 * newDimension));
}

/**
 * A 1-D box filter of `window` taps centred on each sample (the reference's `box1DFloat`: the window is cut at the
 * edges and the mean taken over what remains), along each row.
 */
function boxAlongRows(input: Float32Array, output: Float32Array, rows: number, cols: number, window: number) {
  const half = Math.trunc((window + 2) / 2);
  const phase1 = half - 1;
  const phase2 = window - half + 1;
  const phase3 = cols - window;
  const phase4 = half - 1;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let li = base;
    let ri = base;
    let oi = base;
    let sum = 0;
    let size = 0;
    for (let i = 0; i < phase1; i++) {
      sum = f32(sum + (input[ri++] as number));
      size++;
    }
    for (let i = 0; i < phase2; i++) {
      sum = f32(sum + (input[ri++] as number));
      size++;
      output[oi++] = sum / size;
    }
    for (let i = 0; i < phase3; i++) {
      sum = f32(sum + (input[ri++] as number));
      sum = f32(sum - (input[li++] as number));
      output[oi++] = sum / size;
    }
    for (let i = 0; i < phase4; i++) {
      sum = f32(sum - (input[li++] as number));
      size--;
      output[oi++] = sum / size;
    }
  }
}

/**
 * The same box filter along each column. The reference walks one column at a time; this walks the rows and keeps
 * one running sum per column, which does the same float operations in the same order per column (so the same
 * results) while reading memory in order.
 */
function boxAlongCols(input: Float32Array, output: Float32Array, rows: number, cols: number, window: number) {
  const half = Math.trunc((window + 2) / 2);
  const phase1 = half - 1;
  const phase2 = window - half + 1;
  const phase3 = rows - window;
  const phase4 = half - 1;
  const sums = new Float32Array(cols);
  let li = 0;
  let ri = 0;
  let oi = 0;
  let size = 0;
  for (let i = 0; i < phase1; i++, ri += cols) {
    for (let j = 0; j < cols; j++) sums[j] = (sums[j] as number) + (input[ri + j] as number);
    size++;
  }
  for (let i = 0; i < phase2; i++, ri += cols, oi += cols) {
    size++;
    for (let j = 0; j < cols; j++) {
      const s = f32((sums[j] as number) + (input[ri + j] as number));
      sums[j] = s;
      output[oi + j] = s / size;
    }
  }
  for (let i = 0; i < phase3; i++, ri += cols, li += cols, oi += cols) {
    for (let j = 0; j < cols; j++) {
      const s = f32(f32((sums[j] as number) + (input[ri + j] as number)) - (input[li + j] as number));
      sums[j] = s;
      output[oi + j] = s / size;
    }
  }
  for (let i = 0; i < phase4; i++, li += cols, oi += cols) {
    size--;
    for (let j = 0; j < cols; j++) {
      const s = f32((sums[j] as number) - (input[li + j] as number));
      sums[j] = s;
      output[oi + j] = s / size;
    }
  }
}

/** The reference's `pdqImageDomainQualityMetric` over the 64 × 64 downsample. */
function imageDomainQuality(a: Float32Array): number {
  let gradientSum = 0;
  for (let i = 0; i < 63; i++) {
    for (let j = 0; j < 64; j++) {
      const d = Math.trunc(
        f32(f32(f32((a[i * 64 + j] as number) - (a[(i + 1) * 64 + j] as number)) * 100) / 255),
      );
      gradientSum += Math.abs(d);
    }
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 63; j++) {
      const d = Math.trunc(
        f32(f32(f32((a[i * 64 + j] as number) - (a[i * 64 + j + 1] as number)) * 100) / 255),
      );
      gradientSum += Math.abs(d);
    }
  }
  return Math.min(100, Math.trunc(gradientSum / 90));
}

/** B = D · A · Dᵀ for the 16 × 64 DCT matrix D, summed in float32 in the reference's order. */
function dct64To16(a: Float32Array): Float32Array {
  const d = DCT_16x64;
  const t = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++)
        sum = f32(sum + f32((d[i * 64 + k] as number) * (a[k * 64 + j] as number)));
      t[i * 64 + j] = sum;
    }
  }
  const b = new Float32Array(256);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++)
        sum = f32(sum + f32((t[i * 64 + k] as number) * (d[j * 64 + k] as number)));
      b[i * 16 + j] = sum;
    }
  }
  return b;
}

/**
 * The DCT output of the transformed image from the original's (the reference's `dct16OriginalTo…`): a flip
 * negates the coefficients of odd frequency along its axis (index 0 holds frequency 1), a transpose swaps the
 * axes, and each rotation is a flip and a transpose.
 */
function dihedralDct(a: Float32Array, name: DihedralName): Float32Array {
  const b = new Float32Array(256);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      const v = a[i * 16 + j] as number;
      switch (name) {
        case 'original':
          b[i * 16 + j] = v;
          break;
        case 'rotate90':
          b[j * 16 + i] = j & 1 ? v : -v;
          break;
        case 'rotate180':
          b[i * 16 + j] = (i + j) & 1 ? -v : v;
          break;
        case 'rotate270':
          b[j * 16 + i] = i & 1 ? v : -v;
          break;
        case 'flipX':
          b[i * 16 + j] = i & 1 ? v : -v;
          break;
        case 'flipY':
          b[i * 16 + j] = j & 1 ? v : -v;
          break;
        case 'flipPlus1':
          b[j * 16 + i] = v;
          break;
        case 'flipMinus1':
          b[j * 16 + i] = (i + j) & 1 ? -v : v;
          break;
      }
    }
  }
  return b;
}

/** Torben Mogensen's median (N. Devillard's implementation, as the reference uses), in float32. */
function torbenMedian(m: Float32Array): number {
  const n = m.length;
  let min = m[0] as number;
  let max = min;
  for (let i = 1; i < n; i++) {
    const v = m[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const half = Math.trunc((n + 1) / 2);
  for (;;) {
    const guess = f32((min + max) / 2);
    let less = 0;
    let greater = 0;
    let equal = 0;
    let maxLtGuess = min;
    let minGtGuess = max;
    for (let i = 0; i < n; i++) {
      const v = m[i] as number;
      if (v < guess) {
        less++;
        if (v > maxLtGuess) maxLtGuess = v;
      } else if (v > guess) {
        greater++;
        if (v < minGtGuess) minGtGuess = v;
      } else {
        equal++;
      }
    }
    if (less <= half && greater <= half) {
      if (less >= half) return maxLtGuess;
      if (less + equal >= half) return guess;
      return minGtGuess;
    }
    if (less > greater) max = maxLtGuess;
    else min = minGtGuess;
  }
}

/** Bit 16·i + j set when coefficient (i, j) is above the median; hex as the reference prints it (word 15 first). */
function bitsToHex(coefficients: Float32Array): string {
  const median = torbenMedian(coefficients);
  let hex = '';
  for (let word = 15; word >= 0; word--) {
    let w = 0;
    for (let bit = 0; bit < 16; bit++) if ((coefficients[word * 16 + bit] as number) > median) w |= 1 << bit;
    hex += w.toString(16).padStart(4, '0');
  }
  return hex;
}
