/** A `width` x `height` RGBA PNG whose pixel (x, y) is `pixel(x, y)` ([r, g, b, a], 0-255). */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => readonly number[]): Buffer;
