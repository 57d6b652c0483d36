/**
 * The graph's canvas: draws laid-out boxes and edges with pan (drag) and zoom (wheel), culling
 * everything outside the viewport and dropping labels when they would be unreadable, so a frame
 * stays cheap with 20,000 visible boxes. A canvas, not SVG: 20,000 DOM nodes make every pan
 * frame a style-and-layout pass. Hit testing walks the boxes topmost-first on click only.
 */

export interface SceneBox {
  id: string;
  label: string;
  kind: "scope" | "series" | "op";
  open: boolean;
  /** Fill colour (structure, compute time or memory colouring). */
  fill: string;
  /** Second line for closed groups, e.g. "128 ops". */
  detail: string;
}

export interface SceneEdge {
  points: readonly number[];
  width: number;
  dashed: boolean;
}

export interface Scene {
  boxes: SceneBox[];
  /** x, y, width, height per box, absolute. */
  rects: Float64Array;
  edges: SceneEdge[];
  width: number;
  height: number;
}

/** What tests (and the bench) can ask the canvas: boxes on screen in CSS pixels. */
export interface GraphCanvasProbe {
  boxes(): { id: string; label: string; kind: string; open: boolean; x: number; y: number; width: number; height: number }[];
  frames: number;
  lastFrameMs: number;
}

const MIN_SCALE = 0.02;
const MAX_SCALE = 4;

export class GraphCanvas {
  scale = 1;
  x = 0;
  y = 0;
  selected: string | null = null;
  highlighted: string | null = null;
  onSelect: (id: string | null) => void = () => undefined;
  onToggle: (id: string) => void = () => undefined;
  private scene: Scene | null = null;
  private edgeBounds: Float64Array = new Float64Array(0);
  private frame = 0;
  private drag: { x: number; y: number; moved: boolean } | null = null;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly observer: ResizeObserver;
  readonly probe: GraphCanvasProbe;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
    // A resize (the details panel opening, the window) keeps the same point in the middle.
    let size = [canvas.clientWidth, canvas.clientHeight];
    this.observer = new ResizeObserver(() => {
      const [w, h] = [canvas.clientWidth, canvas.clientHeight];
      if ((size[0] ?? 0) > 0) {
        this.x += (w - (size[0] ?? 0)) / 2;
        this.y += (h - (size[1] ?? 0)) / 2;
      }
      size = [w, h];
      this.invalidate();
    });
    this.observer.observe(canvas);
    canvas.addEventListener("pointerdown", this.down);
    canvas.addEventListener("pointermove", this.move);
    canvas.addEventListener("pointerup", this.up);
    canvas.addEventListener("wheel", this.wheel, { passive: false });
    canvas.addEventListener("dblclick", this.dblclick);
    this.probe = { boxes: () => this.screenBoxes(), frames: 0, lastFrameMs: 0 };
    (canvas as HTMLCanvasElement & { graphProbe?: GraphCanvasProbe }).graphProbe = this.probe;
  }

  dispose(): void {
    this.observer.disconnect();
    cancelAnimationFrame(this.frame);
    this.canvas.removeEventListener("pointerdown", this.down);
    this.canvas.removeEventListener("pointermove", this.move);
    this.canvas.removeEventListener("pointerup", this.up);
    this.canvas.removeEventListener("wheel", this.wheel);
    this.canvas.removeEventListener("dblclick", this.dblclick);
  }

  setScene(scene: Scene): void {
    this.scene = scene;
    this.edgeBounds = new Float64Array(scene.edges.length * 4);
    scene.edges.forEach((edge, i) => {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (let k = 0; k + 1 < edge.points.length; k += 2) {
        const px = edge.points[k] as number, py = edge.points[k + 1] as number;
        x0 = Math.min(x0, px); y0 = Math.min(y0, py); x1 = Math.max(x1, px); y1 = Math.max(y1, py);
      }
      this.edgeBounds.set([x0, y0, x1, y1], i * 4);
    });
    this.invalidate();
  }

  /** The world-space rect of box `id`, if it is in the scene. */
  rectOf(id: string): [number, number, number, number] | null {
    const i = this.scene?.boxes.findIndex((b) => b.id === id) ?? -1;
    if (!this.scene || i < 0) return null;
    const r = this.scene.rects;
    return [r[i * 4] as number, r[i * 4 + 1] as number, r[i * 4 + 2] as number, r[i * 4 + 3] as number];
  }

  /** Scale and centre so the whole scene fits (never zooming in past 1:1). */
  fit(): void {
    if (!this.scene) return;
    const { clientWidth: w, clientHeight: h } = this.canvas;
    const scale = Math.min(1, (w - 40) / Math.max(1, this.scene.width), (h - 40) / Math.max(1, this.scene.height));
    this.scale = Math.max(MIN_SCALE, scale);
    this.x = (w - this.scene.width * this.scale) / 2;
    this.y = Math.max(20, (h - this.scene.height * this.scale) / 2);
    this.invalidate();
  }

  /** Centre on box `id`, zooming in to readable size if needed. */
  centerOn(id: string): void {
    const rect = this.rectOf(id);
    if (!rect) return;
    const { clientWidth: w, clientHeight: h } = this.canvas;
    this.scale = Math.max(this.scale, 0.8);
    this.x = w / 2 - (rect[0] + rect[2] / 2) * this.scale;
    this.y = h / 2 - (rect[1] + rect[3] / 2) * this.scale;
    this.invalidate();
  }

  /** Moves the view so the world point (wx, wy) shows at screen point (sx, sy). */
  anchor(wx: number, wy: number, sx: number, sy: number): void {
    this.x = sx - wx * this.scale;
    this.y = sy - wy * this.scale;
    this.invalidate();
  }

  /** Pans the least needed to bring box `id` fully on screen (its top-left first if too big). */
  reveal(id: string, margin = 24): void {
    const rect = this.rectOf(id);
    if (!rect) return;
    const { clientWidth: w, clientHeight: h } = this.canvas;
    const [x0, y0] = this.toScreen(rect[0], rect[1]);
    const [x1, y1] = this.toScreen(rect[0] + rect[2], rect[1] + rect[3]);
    const shift = (low: number, high: number, size: number): number => {
      if (high > size - margin) return Math.max(size - margin - high, margin - low);
      if (low < margin) return margin - low;
      return 0;
    };
    this.x += shift(x0, x1, w);
    this.y += shift(y0, y1, h);
    this.invalidate();
  }

  toScreen(wx: number, wy: number): [number, number] {
    return [wx * this.scale + this.x, wy * this.scale + this.y];
  }

  invalidate(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** The topmost box under a CSS-pixel point (closed boxes above the open ones holding them). */
  hit(sx: number, sy: number): string | null {
    if (!this.scene) return null;
    const wx = (sx - this.x) / this.scale, wy = (sy - this.y) / this.scale;
    const r = this.scene.rects;
    let found: string | null = null;
    for (let i = 0; i < this.scene.boxes.length; i++) {
      const x = r[i * 4] as number, y = r[i * 4 + 1] as number;
      if (wx >= x && wy >= y && wx <= x + (r[i * 4 + 2] as number) && wy <= y + (r[i * 4 + 3] as number)) {
        found = (this.scene.boxes[i] as SceneBox).id; // Later boxes are deeper: keep the last.
      }
    }
    return found;
  }

  private screenBoxes(): ReturnType<GraphCanvasProbe["boxes"]> {
    if (!this.scene) return [];
    const bounds = this.canvas.getBoundingClientRect();
    const r = this.scene.rects;
    return this.scene.boxes.map((b, i) => {
      const [x, y] = this.toScreen(r[i * 4] as number, r[i * 4 + 1] as number);
      return { id: b.id, label: b.label, kind: b.kind, open: b.open, x: x + bounds.left, y: y + bounds.top, width: (r[i * 4 + 2] as number) * this.scale, height: (r[i * 4 + 3] as number) * this.scale };
    });
  }

  private readonly down = (e: PointerEvent): void => {
    this.canvas.setPointerCapture(e.pointerId);
    this.drag = { x: e.clientX, y: e.clientY, moved: false };
  };

  private readonly move = (e: PointerEvent): void => {
    if (!this.drag) return;
    const dx = e.clientX - this.drag.x, dy = e.clientY - this.drag.y;
    if (!this.drag.moved && Math.abs(dx) + Math.abs(dy) < 3) return;
    this.drag = { x: e.clientX, y: e.clientY, moved: true };
    this.x += dx;
    this.y += dy;
    this.invalidate();
  };

  private readonly up = (e: PointerEvent): void => {
    const drag = this.drag;
    this.drag = null;
    if (drag && !drag.moved) {
      const bounds = this.canvas.getBoundingClientRect();
      this.onSelect(this.hit(e.clientX - bounds.left, e.clientY - bounds.top));
    }
  };

  private readonly dblclick = (e: MouseEvent): void => {
    const bounds = this.canvas.getBoundingClientRect();
    const id = this.hit(e.clientX - bounds.left, e.clientY - bounds.top);
    if (id) this.onToggle(id);
  };

  private readonly wheel = (e: WheelEvent): void => {
    e.preventDefault();
    const bounds = this.canvas.getBoundingClientRect();
    const sx = e.clientX - bounds.left, sy = e.clientY - bounds.top;
    const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
    const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, this.scale * factor));
    const wx = (sx - this.x) / this.scale, wy = (sy - this.y) / this.scale;
    this.scale = scale;
    this.anchor(wx, wy, sx, sy);
  };

  private draw(): void {
    const started = performance.now();
    const canvas = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const scene = this.scene;
    if (!scene) return;
    const style = getComputedStyle(canvas);
    const text = style.getPropertyValue("--text").trim() || "#1f2328";
    const border = style.getPropertyValue("--graph-border").trim() || "#94a3b8";
    const openFill = style.getPropertyValue("--graph-open").trim() || "rgba(148,163,184,0.08)";
    const accent = style.getPropertyValue("--accent").trim() || "#2563eb";
    const edgeColour = style.getPropertyValue("--graph-edge").trim() || "#64748b";
    ctx.setTransform(dpr * this.scale, 0, 0, dpr * this.scale, dpr * this.x, dpr * this.y);
    const vx0 = -this.x / this.scale, vy0 = -this.y / this.scale;
    const vx1 = (w - this.x) / this.scale, vy1 = (h - this.y) / this.scale;
    const r = scene.rects;
    const inView = (i: number): boolean => {
      const x = r[i * 4] as number, y = r[i * 4 + 1] as number;
      return x <= vx1 && y <= vy1 && x + (r[i * 4 + 2] as number) >= vx0 && y + (r[i * 4 + 3] as number) >= vy0;
    };
    const labels = this.scale >= 0.45;
    const lineWidth = 1 / this.scale;
    // Opened boxes first (parents precede children in scene order), then edges, then closed boxes.
    ctx.lineWidth = lineWidth;
    ctx.font = "600 11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    for (let i = 0; i < scene.boxes.length; i++) {
      const b = scene.boxes[i] as SceneBox;
      if (!b.open || !inView(i)) continue;
      const x = r[i * 4] as number, y = r[i * 4 + 1] as number, bw = r[i * 4 + 2] as number, bh = r[i * 4 + 3] as number;
      ctx.fillStyle = openFill;
      ctx.strokeStyle = b.id === this.highlighted ? "#f59e0b" : b.id === this.selected ? accent : border;
      ctx.fillRect(x, y, bw, bh);
      ctx.strokeRect(x, y, bw, bh);
      if (this.scale >= 0.25) {
        ctx.fillStyle = text;
        ctx.fillText(`▾ ${b.label}`, x + 8, y + 14, bw - 16);
      }
    }
    this.drawEdges(scene, vx0, vy0, vx1, vy1, edgeColour);
    for (let i = 0; i < scene.boxes.length; i++) {
      const b = scene.boxes[i] as SceneBox;
      if (b.open || !inView(i)) continue;
      const x = r[i * 4] as number, y = r[i * 4 + 1] as number, bw = r[i * 4 + 2] as number, bh = r[i * 4 + 3] as number;
      if (b.kind === "series") {
        ctx.fillStyle = b.fill;
        ctx.fillRect(x + 4, y - 4, bw, bh);
        ctx.strokeStyle = border;
        ctx.strokeRect(x + 4, y - 4, bw, bh);
      }
      ctx.fillStyle = b.fill;
      ctx.beginPath();
      if (labels) ctx.roundRect(x, y, bw, bh, b.kind === "op" ? bh / 2 : 6);
      else ctx.rect(x, y, bw, bh);
      ctx.fill();
      const mark = b.id === this.highlighted ? "#f59e0b" : b.id === this.selected ? accent : border;
      ctx.strokeStyle = mark;
      ctx.lineWidth = mark === border ? lineWidth : 3 / Math.max(this.scale, 0.3);
      ctx.stroke();
      ctx.lineWidth = lineWidth;
      if (!labels) continue;
      ctx.fillStyle = text;
      if (b.kind === "op") {
        ctx.fillText(b.label, x + 10, y + bh / 2, bw - 16);
      } else {
        ctx.fillText(`▸ ${b.label}`, x + 8, y + 13, bw - 14);
        ctx.fillStyle = "#64748b";
        ctx.fillText(b.detail, x + 8, y + 28, bw - 14);
      }
    }
    this.probe.frames += 1;
    this.probe.lastFrameMs = performance.now() - started;
  }

  private drawEdges(scene: Scene, vx0: number, vy0: number, vx1: number, vy1: number, colour: string): void {
    const ctx = this.ctx;
    const eb = this.edgeBounds;
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    const arrows = this.scale >= 0.3;
    for (const dashed of [false, true]) {
      ctx.setLineDash(dashed ? [4 / this.scale, 3 / this.scale] : []);
      for (let i = 0; i < scene.edges.length; i++) {
        const edge = scene.edges[i] as SceneEdge;
        if (edge.dashed !== dashed || edge.points.length < 4) continue;
        if ((eb[i * 4] as number) > vx1 || (eb[i * 4 + 2] as number) < vx0 || (eb[i * 4 + 1] as number) > vy1 || (eb[i * 4 + 3] as number) < vy0) continue;
        const p = edge.points;
        ctx.lineWidth = Math.max(edge.width, 1 / this.scale);
        ctx.beginPath();
        ctx.moveTo(p[0] as number, p[1] as number);
        for (let k = 2; k + 1 < p.length; k += 2) ctx.lineTo(p[k] as number, p[k + 1] as number);
        ctx.stroke();
        if (arrows) {
          const n = p.length;
          const ex = p[n - 2] as number, ey = p[n - 1] as number;
          const angle = Math.atan2(ey - (p[n - 3] as number), ex - (p[n - 4] as number));
          const size = 5 + edge.width;
          ctx.beginPath();
          ctx.moveTo(ex, ey);
          ctx.lineTo(ex - size * Math.cos(angle - 0.4), ey - size * Math.sin(angle - 0.4));
          ctx.lineTo(ex - size * Math.cos(angle + 0.4), ey - size * Math.sin(angle + 0.4));
          ctx.fill();
        }
      }
    }
    ctx.setLineDash([]);
  }
}
