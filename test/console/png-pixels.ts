import { inflateSync } from 'node:zlib';

type Rgb = (red: number, green: number, blue: number) => boolean;

/**
 * Counts the pixels of a PNG that `match`: enough to see what a page drew in a screenshot without
 * an image library. Reads PNGs as Chromium writes screenshots (8-bit RGB or RGBA, not interlaced;
 * the five scanline filters of PNG §9) and refuses any other kind.
 */
export function countPixels(png: Buffer, match: Rgb): number {
  const { width, height, channels, scanlines } = chunks(png);
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y += 1) {
    const filter = scanlines[y * (stride + 1)] as number;
    for (let x = 0; x < stride; x += 1) {
      const at = y * stride + x;
      const left = x >= channels ? pixels[at - channels] as number : 0;
      const up = y > 0 ? pixels[at - stride] as number : 0;
      const upLeft = x >= channels && y > 0 ? pixels[at - stride - channels] as number : 0;
      pixels[at] = ((scanlines[y * (stride + 1) + 1 + x] as number) + predictor(filter, left, up, upLeft)) & 0xff;
    }
  }
  let matching = 0;
  for (let at = 0; at < pixels.length; at += channels) {
    if (match(pixels[at] as number, pixels[at + 1] as number, pixels[at + 2] as number)) matching += 1;
  }
  return matching;
}

function chunks(png: Buffer): { width: number; height: number; channels: number; scanlines: Buffer } {
  const data: Buffer[] = [];
  let header: Buffer | undefined;
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  if (header === undefined || header[8] !== 8 || header[12] !== 0 || (header[9] !== 2 && header[9] !== 6)) throw new Error('not an 8-bit, non-interlaced RGB(A) PNG');
  return { width: header.readUInt32BE(0), height: header.readUInt32BE(4), channels: header[9] === 6 ? 4 : 3, scanlines: inflateSync(Buffer.concat(data)) };
}

function predictor(filter: number, left: number, up: number, upLeft: number): number {
  if (filter === 0) return 0;
  if (filter === 1) return left;
  if (filter === 2) return up;
  if (filter === 3) return (left + up) >> 1;
  if (filter !== 4) throw new Error(`unknown PNG filter ${filter}`);
  const estimate = left + up - upLeft;
  const [toLeft, toUp, toUpLeft] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
}
