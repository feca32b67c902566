/**
 * The tiled watermark over every page that shows personal data (docs/marks.md): the server's lines of the
 * last view (viewer, time, view code) drawn on a canvas, tiled as a fixed layer above the page, repainted when
 * the layer is removed, hidden or restyled, and kept in printouts (app.css, @media print).
 */

export const WATERMARK_ID = 'custos-watermark';
const TILE_W = 360;
const TILE_H = 200;

/** Draws one tile (rotated, semi-transparent text) and returns it as a PNG data URL. */
export function watermarkTile(lines: readonly string[]): string {
  const canvas = document.createElement('canvas');
  const scale = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  canvas.width = TILE_W * scale;
  canvas.height = TILE_H * scale;
  const ctx = canvas.getContext('2d');
  if (ctx === null) return '';
  ctx.scale(scale, scale);
  ctx.translate(TILE_W / 2, TILE_H / 2);
  ctx.rotate(-Math.PI / 9);
  ctx.font = '15px system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  ctx.fillStyle = 'rgba(36, 59, 83, 0.2)';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  lines.forEach((line, i) => ctx.fillText(line, 0, (i - (lines.length - 1) / 2) * 22));
  return canvas.toDataURL('image/png');
}

function intact(el: HTMLElement | null, image: string): boolean {
  if (el === null || !el.isConnected || el.parentElement !== document.body) return false;
  if (el.hidden || el.getAttribute('class') !== null) return false;
  const s = el.style;
  if (s.backgroundImage !== `url("${image}")` || s.display !== 'block' || s.opacity !== '1' || s.visibility !== 'visible') return false;
  const c = getComputedStyle(el);
  return c.display !== 'none' && c.visibility === 'visible' && c.opacity === '1' && c.position === 'fixed' && c.backgroundImage !== 'none';
}

/**
 * Shows the watermark with these lines until the returned function is called; puts it back whenever it is
 * removed or altered (a MutationObserver, and a periodic check for style sheets that hide it).
 */
export function mountWatermark(lines: readonly string[]): () => void {
  const image = watermarkTile(lines);
  let stopped = false;
  const paint = (): void => {
    document.getElementById(WATERMARK_ID)?.remove();
    const el = document.createElement('div');
    el.id = WATERMARK_ID;
    el.setAttribute('aria-hidden', 'true');
    el.setAttribute('data-lines', String(lines.length));
    el.style.backgroundImage = `url("${image}")`;
    el.style.display = 'block';
    el.style.opacity = '1';
    el.style.visibility = 'visible';
    document.body.appendChild(el);
  };
  const check = (): void => {
    if (stopped) return;
    if (!intact(document.getElementById(WATERMARK_ID), image)) {
      observer.disconnect();
      paint();
      observe();
    }
  };
  const observer = new MutationObserver(check);
  const observe = (): void => {
    observer.observe(document.body, { childList: true });
    const el = document.getElementById(WATERMARK_ID);
    if (el !== null) observer.observe(el, { attributes: true });
    observer.observe(document.head, { childList: true, subtree: true });
  };
  paint();
  observe();
  const timer = window.setInterval(check, 1000);
  return () => {
    stopped = true;
    observer.disconnect();
    window.clearInterval(timer);
    document.getElementById(WATERMARK_ID)?.remove();
  };
}
