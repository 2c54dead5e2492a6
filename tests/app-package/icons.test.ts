import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { ROOT } from './support';

function png(file: string): PNG & { colorType: number } {
  const buffer = fs.readFileSync(path.join(ROOT, 'appPackage', file));
  // colorType 6: RGBA, i.e. a real alpha channel.
  const colorType = buffer.readUInt8(25);
  return Object.assign(PNG.sync.read(buffer), { colorType });
}

describe('the app icons', () => {
  it('color.png is 192x192 with an alpha channel', () => {
    const icon = png('color.png');
    expect([icon.width, icon.height]).toEqual([192, 192]);
    expect(icon.colorType).toBe(6);
  });

  it('outline.png is 32x32, white on transparent, with an alpha channel', () => {
    const icon = png('outline.png');
    expect([icon.width, icon.height]).toEqual([32, 32]);
    expect(icon.colorType).toBe(6);
    let transparent = 0;
    let drawn = 0;
    for (let i = 0; i < icon.data.length; i += 4) {
      const [r, g, b, a] = [icon.data[i], icon.data[i + 1], icon.data[i + 2], icon.data[i + 3]];
      if (a === 0) transparent++;
      else {
        drawn++;
        expect([r, g, b]).toEqual([255, 255, 255]);
      }
    }
    expect(transparent).toBeGreaterThan(0);
    expect(drawn).toBeGreaterThan(50);
  });
});
