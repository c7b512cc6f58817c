import { describe, expect, it } from 'vitest';
import {
  DIHEDRAL_NAMES,
  type DihedralName,
  lumaFromPixels,
  pdqDihedral,
  pdqDihedralFromLuma,
  pdqHashFromLuma,
  pdqHashFromRgba,
  pdqWorkingSize,
} from './pdq.js';
import { hammingDistance } from './pdq-hash.js';

/** A deterministic 'photo': smooth shapes plus texture, RGBA. */
function synthetic(width: number, height: number, seed = 1): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(width * height * 4);
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return (s >>> 16) / 65536;
  };
  const blobs = Array.from({ length: 6 }, () => [
    rnd() * width,
    rnd() * height,
    5 + rnd() * width * 0.4,
    rnd(),
  ]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 40 + (90 * x) / width;
      for (const [bx, by, r, k] of blobs as number[][]) {
        if (((x - (bx as number)) ** 2 + (y - (by as number)) ** 2) ** 0.5 < (r as number))
          v += 120 * (k as number) - 40;
      }
      const p = (y * width + x) * 4;
      rgba[p] = v + 20 * Math.sin(x / 3);
      rgba[p + 1] = v;
      rgba[p + 2] = v - 10 + 10 * Math.cos(y / 5);
      rgba[p + 3] = 255;
    }
  }
  return rgba;
}

/** The image transformed as each dihedral name says (x → column, y → row). */
function transform(rgba: Uint8ClampedArray, w: number, h: number, name: DihedralName) {
  const transposed = ['rotate90', 'rotate270', 'flipPlus1', 'flipMinus1'].includes(name);
  const W = transposed ? h : w;
  const H = transposed ? w : h;
  const out = new Uint8ClampedArray(rgba.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let X = x;
      let Y = y;
      switch (name) {
        case 'original':
          break;
        case 'rotate90': // counter-clockwise, as the reference's images
          X = y;
          Y = w - 1 - x;
          break;
        case 'rotate180':
          X = w - 1 - x;
          Y = h - 1 - y;
          break;
        case 'rotate270':
          X = h - 1 - y;
          Y = x;
          break;
        case 'flipX': // upside down
          Y = h - 1 - y;
          break;
        case 'flipY': // mirrored left-right
          X = w - 1 - x;
          break;
        case 'flipPlus1': // transpose
          X = y;
          Y = x;
          break;
        case 'flipMinus1': // anti-transpose
          X = h - 1 - y;
          Y = w - 1 - x;
          break;
      }
      out.set(rgba.subarray((y * w + x) * 4, (y * w + x) * 4 + 4), (Y * W + X) * 4);
    }
  }
  return { rgba: out, width: W, height: H };
}

describe('PDQ hashing', () => {
  it('gives the all-zero hash and quality 0 to an image under 5 px, as the reference does', () => {
    expect(pdqHashFromRgba(new Uint8Array(4 * 4 * 4), 4, 4)).toEqual({ hash: '0'.repeat(64), quality: 0 });
  });

  it('reports quality 0 for a flat image and a high quality for a detailed one', () => {
    const flat = new Uint8Array(100 * 80 * 4).fill(128);
    expect(pdqHashFromRgba(flat, 100, 80).quality).toBe(0);
    const photo = pdqHashFromRgba(synthetic(300, 200), 300, 200);
    expect(photo.quality).toBeGreaterThanOrEqual(50);
    expect(photo.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is deterministic and does not depend on buffer type', () => {
    const img = synthetic(257, 181);
    expect(pdqHashFromRgba(img, 257, 181)).toEqual(pdqHashFromRgba(new Uint8Array(img), 257, 181));
  });

  it('takes luma directly: the same bits as from RGBA', () => {
    const img = synthetic(120, 90);
    const luma = lumaFromPixels({ data: img, width: 120, height: 90, channels: 4 });
    expect(pdqHashFromLuma(luma, 120, 90)).toEqual(pdqHashFromRgba(img, 120, 90));
  });

  it('refuses a buffer too short for its dimensions', () => {
    expect(() => pdqHashFromRgba(new Uint8Array(10), 100, 100)).toThrow(RangeError);
  });

  it('sets about half the bits (the median threshold)', () => {
    const { hash } = pdqHashFromRgba(synthetic(200, 200, 7), 200, 200);
    const ones = [...hash].reduce(
      (n, c) => n + (Number.parseInt(c, 16).toString(2).match(/1/g)?.length ?? 0),
      0,
    );
    expect(ones).toBeGreaterThanOrEqual(120);
    expect(ones).toBeLessThanOrEqual(136);
  });
});

describe('dihedral hashes', () => {
  it('on a 64 × 64 image (no downsampling) equal the hashes of the transformed pixels exactly', () => {
    const img = synthetic(64, 64, 3);
    const dih = pdqDihedral(img, 64, 64);
    expect(dih.hashes.original).toBe(pdqHashFromRgba(img, 64, 64).hash);
    for (const name of DIHEDRAL_NAMES) {
      const t = transform(img, 64, 64, name);
      expect(hammingDistance(dih.hashes[name], pdqHashFromRgba(t.rgba, t.width, t.height).hash), name).toBe(
        0,
      );
    }
  });

  it('on a larger non-square image are within the match threshold of the hashes of the transformed pixels', () => {
    const w = 400;
    const h = 250;
    const img = synthetic(w, h, 5);
    const dih = pdqDihedral(img, w, h);
    const distances = DIHEDRAL_NAMES.map((name) => {
      const t = transform(img, w, h, name);
      return hammingDistance(dih.hashes[name], pdqHashFromRgba(t.rgba, t.width, t.height).hash);
    });
    // PDQ is not exactly rotation-invariant: even-sized box windows and the decimation grid are not symmetric
    // (Meta's pdq/README, "Note on Dihedral PDQ Hashes"); what matters is that each stays a match
    for (const d of distances) expect(d).toBeLessThanOrEqual(31);
    // and they are 8 different hashes
    expect(new Set(Object.values(dih.hashes)).size).toBe(8);
  });

  it('quality is that of the image', () => {
    const img = synthetic(100, 100, 9);
    const luma = lumaFromPixels({ data: img, width: 100, height: 100, channels: 4 });
    expect(pdqDihedralFromLuma(luma, 100, 100).quality).toBe(pdqHashFromRgba(img, 100, 100).quality);
  });
});

describe('pdqWorkingSize', () => {
  it('keeps images up to 512 px and fits larger ones within 512 × 512', () => {
    expect(pdqWorkingSize(512, 300)).toEqual({ width: 512, height: 300 });
    expect(pdqWorkingSize(1600, 1004)).toEqual({ width: 512, height: 321 });
    expect(pdqWorkingSize(1004, 1600)).toEqual({ width: 321, height: 512 });
    expect(pdqWorkingSize(4032, 3024)).toEqual({ width: 512, height: 384 });
    expect(pdqWorkingSize(100000, 10)).toEqual({ width: 512, height: 1 });
  });
});
