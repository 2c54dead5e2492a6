// npm run icons: draws the Teams app icons, appPackage/color.png and
// appPackage/outline.png.
//
// Why a script and not two binary files: the art stays reproducible and
// reviewable. Every shape below is plain geometry (circles, capsules, arcs,
// rounded rectangles described by signed distance functions), so a change to
// the icon is a change to a few numbers in a diff, and running the script
// again gives the same bytes.
//
// What Teams asks for (learn.microsoft.com, "App icons"):
// - color.png, 192x192: full colour, a solid background filling the square
//   (Teams crops and rounds it), the symbol within the central 96x96.
// - outline.png, 32x32: white (255,255,255) on a fully transparent
//   background; only the alpha channel varies, for anti-aliasing.
// Both are written as RGBA (PNG colour type 6).
//
// The symbol: a telephone handset and, in the hollow of its curve, a route, two
// nodes joined by an arc that echoes the handset: Direct Routing between the
// partner's carrier and Teams. The outline icon keeps only the handset, which
// is what still reads at 32 pixels.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const appPackage = path.join(root, 'appPackage');

// The manifest's accentColor, so the icon and Teams' chrome around it agree.
const ACCENT = [0x4f, 0x6b, 0xed];
const WHITE = [255, 255, 255];

// Samples per pixel along each axis: 8x8 = 64 coverage levels per pixel.
const SUPERSAMPLE = 8;

// ---------------------------------------------------------------------------
// Geometry. Signed distance functions in symbol units: the symbol is drawn in
// the unit square, x to the right, y down. Negative inside, positive outside.

const length = (x, y) => Math.hypot(x, y);

function circle(px, py, cx, cy, r) {
  return length(px - cx, py - cy) - r;
}

// A segment from (ax, ay) to (bx, by) with round ends, r its half width.
function capsule(px, py, ax, ay, bx, by, r) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return length(px - ax - t * dx, py - ay - t * dy) - r;
}

// A circular arc around (cx, cy) of the given radius, from angle a0 to a1
// (degrees, clockwise on screen since y points down), stroked with half width
// r and round ends.
function arc(px, py, cx, cy, radius, a0, a1, r) {
  const rad = Math.PI / 180;
  const span = (a1 - a0) * rad;
  const angle = Math.atan2(py - cy, px - cx);
  const along = (((angle - a0 * rad) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
  if (along <= span) return Math.abs(length(px - cx, py - cy) - radius) - r;
  const end = (a) => length(px - cx - radius * Math.cos(a * rad), py - cy - radius * Math.sin(a * rad));
  return Math.min(end(a0), end(a1)) - r;
}

// A rectangle centred on (cx, cy) with half sizes hw, hh, corners rounded to
// radius r, turned by angle degrees.
function roundedRect(px, py, cx, cy, hw, hh, r, angle = 0) {
  const a = (-angle * Math.PI) / 180;
  const x = Math.abs((px - cx) * Math.cos(a) - (py - cy) * Math.sin(a)) - (hw - r);
  const y = Math.abs((px - cx) * Math.sin(a) + (py - cy) * Math.cos(a)) - (hh - r);
  return length(Math.max(x, 0), Math.max(y, 0)) + Math.min(Math.max(x, y), 0) - r;
}

// The box from (x0, y0) to (x1, y1), each corner rounded to its own radius:
// corners = { topLeft, topRight, bottomLeft, bottomRight }.
function box(px, py, x0, y0, x1, y1, corners) {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const left = px < cx;
  const top = py < cy;
  const r = corners[`${top ? 'top' : 'bottom'}${left ? 'Left' : 'Right'}`];
  return roundedRect(px, py, cx, cy, (x1 - x0) / 2, (y1 - y0) / 2, r);
}

// Union with a fillet of size k where two shapes meet (polynomial smooth min).
// It also swells the union a little wherever the two edges run close
// together, so shapes that share an outer edge are clipped afterwards.
function smoothUnion(a, b, k) {
  const h = Math.max(k - Math.abs(a - b), 0) / k;
  return Math.min(a, b) - (h * h * k) / 4;
}

const intersect = Math.max;

// ---------------------------------------------------------------------------
// The symbol.

// The handset: a band running down the left and along the bottom of the
// square around a generous corner, with the earpiece (top left) and the
// mouthpiece (bottom right) standing out towards the inside of the curve. It
// is symmetric about the diagonal from the top right to the bottom left.
const HANDSET = {
  band: 0.085, // half thickness of the band between the two ends
  corner: 0.46, // radius of the band's centre line around the bottom-left corner
  pad: { across: 0.37, along: 0.3, round: 0.1 }, // earpiece and mouthpiece
  fillet: 0.16, // how softly the ends flow into the band
};

function handset(x, y, h = HANDSET) {
  const t = h.band;
  const c = h.corner;
  const { across, along, round } = h.pad;
  // The band's centre line: down the left, round the corner, along the bottom.
  const left = capsule(x, y, t, along / 2, t, 1 - t - c, t);
  const turn = arc(x, y, t + c, 1 - t - c, c, 90, 180, t);
  const bottom = capsule(x, y, t + c, 1 - t, 1 - along / 2, 1 - t, t);
  const band = Math.min(left, turn, bottom);
  // The earpiece faces up, the mouthpiece faces right; the corner of each that
  // sits on the band is left square, the band covers it.
  const ear = box(x, y, 0, 0, across, along, { topLeft: round, topRight: round, bottomLeft: 0, bottomRight: round });
  const mouth = box(x, y, 1 - along, 1 - across, 1, 1, { topLeft: round, topRight: round, bottomLeft: 0, bottomRight: round });
  const joined = smoothUnion(smoothUnion(band, ear, h.fillet), mouth, h.fillet);
  // The outside of the handset, one smooth edge from the earpiece round the
  // corner to the mouthpiece: it trims what the fillets swelled there.
  const outside = box(x, y, 0, 0, 1, 1, { topLeft: round, topRight: 0, bottomLeft: c + t, bottomRight: round });
  return intersect(joined, outside);
}

// The route, in the hollow of the handset's curve: two nodes joined by an arc
// around the top-right corner, which bows the same way as the handset and so
// sits nested inside it, clear of the earpiece and the mouthpiece.
const ROUTE = { radius: 0.46, from: 102, to: 168, stroke: 0.045, node: 0.09, fillet: 0.04 };

function route(x, y, r = ROUTE) {
  const rad = Math.PI / 180;
  const node = (a) => circle(x, y, 1 + r.radius * Math.cos(a * rad), r.radius * Math.sin(a * rad), r.node);
  const line = arc(x, y, 1, 0, r.radius, r.from, r.to, r.stroke);
  // A small fillet where the line meets each node.
  return smoothUnion(smoothUnion(line, node(r.from), r.fillet), node(r.to), r.fillet);
}

const colorSymbol = (x, y) => Math.min(handset(x, y), route(x, y));
const outlineSymbol = (x, y) => handset(x, y);

// ---------------------------------------------------------------------------
// Rasterising and compositing.

// The share of a pixel that a shape covers, 0..1: the fraction of a grid of
// samples inside the pixel that fall inside the shape. toSymbol maps a point in
// pixels to symbol units.
function coverage(shape, px, py, toSymbol) {
  let inside = 0;
  for (let j = 0; j < SUPERSAMPLE; j++) {
    for (let i = 0; i < SUPERSAMPLE; i++) {
      const [x, y] = toSymbol(px + (i + 0.5) / SUPERSAMPLE, py + (j + 0.5) / SUPERSAMPLE);
      if (shape(x, y) <= 0) inside++;
    }
  }
  return inside / (SUPERSAMPLE * SUPERSAMPLE);
}

// Maps pixels to symbol units so the unit square lands on a box of `box`
// pixels centred in an image of `size` pixels.
function centredBox(size, box) {
  const offset = (size - box) / 2;
  return (px, py) => [(px - offset) / box, (py - offset) / box];
}

// Porter-Duff "over" of a straight-alpha colour onto the pixel at index i.
function over(data, i, [r, g, b], alpha) {
  const below = data[i + 3] / 255;
  const out = alpha + below * (1 - alpha);
  if (out === 0) return;
  const mix = (top, bottom) => Math.round((top * alpha + bottom * below * (1 - alpha)) / out);
  data[i] = mix(r, data[i]);
  data[i + 1] = mix(g, data[i + 1]);
  data[i + 2] = mix(b, data[i + 2]);
  data[i + 3] = Math.round(out * 255);
}

// An RGBA image: an optional solid background, then each layer's colour
// painted over it with the shape's coverage as alpha.
function draw(size, { background, layers }) {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  png.data.fill(0);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const i = (py * size + px) * 4;
      if (background) over(png.data, i, background, 1);
      for (const { shape, color, toSymbol } of layers) {
        const alpha = coverage(shape, px, py, toSymbol);
        if (alpha > 0) over(png.data, i, color, alpha);
      }
    }
  }
  return png;
}

function write(file, png) {
  fs.writeFileSync(path.join(appPackage, file), PNG.sync.write(png, { colorType: 6 }));
  console.log(`wrote appPackage/${file} (${png.width}x${png.height})`);
}

// color.png: the symbol in white within the central 96x96 of a 192x192 accent
// square.
write(
  'color.png',
  draw(192, {
    background: ACCENT,
    layers: [{ shape: colorSymbol, color: WHITE, toSymbol: centredBox(192, 96) }],
  }),
);

// outline.png: the handset in white on transparent, with two pixels of margin
// on each side (28x28 of 32x32). Every drawn pixel is pure white; only alpha
// carries the anti-aliasing.
write(
  'outline.png',
  draw(32, {
    layers: [{ shape: outlineSymbol, color: WHITE, toSymbol: centredBox(32, 28) }],
  }),
);
