/**
 * The projector's WebGL scatter: one THREE.Points draw call for every point (a million fits), a
 * small shader that draws discs or sprite thumbnails, dims points outside a search or selection
 * and enlarges highlighted ones, orbit / zoom / pan controls, and a few HTML labels placed over
 * the canvas. Drawn on demand (data, size or camera change), never in an idle loop. Picking is a
 * screen-space nearest-point scan on the CPU — a few ms per million points, done once per frame
 * at most.
 */
import { BufferAttribute, BufferGeometry, Matrix4, OrthographicCamera, PerspectiveCamera, Points, Scene, ShaderMaterial, Texture, Vector3, WebGLRenderer, type Camera } from "three";
import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";
import { FLAG_DIM, FLAG_SELECTED } from "./flags";

const VERTEX = /* glsl */ `
attribute vec3 rgb;
attribute float flag;
uniform float size;
uniform float ratio;
uniform float attenuate;
varying vec3 vColor;
varying float vFlag;
flat varying int vId;
void main() {
  if (isnan(position.x)) { gl_Position = vec4(2.0, 2.0, 2.0, 1.0); gl_PointSize = 0.0; return; }
  vec4 mv = modelViewMatrix * vec4(position, 1.0);
  gl_Position = projectionMatrix * mv;
  float s = size;
  if (attenuate > 0.0) s *= clamp(attenuate / -mv.z, 0.3, 4.0);
  if (flag > ${FLAG_DIM}.5) { s = max(s * 1.8, 7.0); gl_Position.z -= 0.02 * gl_Position.w; }
  gl_PointSize = s * ratio;
  vColor = rgb;
  vFlag = flag;
  vId = gl_VertexID;
}`;

const FRAGMENT = /* glsl */ `
uniform sampler2D sprite;
uniform float useSprite;
uniform vec2 grid;
uniform vec3 background;
varying vec3 vColor;
varying float vFlag;
flat varying int vId;
void main() {
  vec2 c = gl_PointCoord * 2.0 - 1.0;
  float r = dot(c, c);
  vec3 color = vColor;
  if (useSprite > 0.5) {
    float col = mod(float(vId), grid.x);
    float row = floor(float(vId) / grid.x);
    vec2 uv = vec2((col + gl_PointCoord.x) / grid.x, 1.0 - (row + gl_PointCoord.y) / grid.y);
    vec4 texel = texture2D(sprite, uv);
    color = texel.rgb;
    // A frame in the point's colour keeps "colour by" readable over the thumbnails.
    float frame = vFlag > ${FLAG_DIM}.5 ? 0.7 : 0.8;
    if (max(abs(c.x), abs(c.y)) > frame) color = vFlag > ${FLAG_SELECTED}.5 ? vec3(0.0) : vColor;
  } else {
    if (r > 1.0) discard;
    if (vFlag > ${FLAG_DIM}.5 && r > 0.55) color = ${"vFlag > " + FLAG_SELECTED + ".5"} ? vec3(0.0) : mix(vColor, vec3(0.0), 0.45);
  }
  if (abs(vFlag - ${FLAG_DIM}.0) < 0.5) color = mix(color, background, 0.82);
  gl_FragColor = vec4(color, 1.0);
}`;

/** How far the 3-D camera starts from the centre of the [-1, 1]³ cube: far enough that even its
 * nearest corners (z = 1) are in view at a 50° field of view (1 + 1 / tan 25° ≈ 3.15). */
const CAMERA_DISTANCE = 3.3;

export interface Label {
  index: number;
  text: string;
  strong: boolean;
}

export class Scatter {
  readonly canvas: HTMLCanvasElement;
  private readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly geometry = new BufferGeometry();
  private readonly material: ShaderMaterial;
  private readonly points: Points;
  private readonly perspective = new PerspectiveCamera(50, 1, 0.01, 100);
  private readonly ortho = new OrthographicCamera(-1, 1, 1, -1, -100, 100);
  private camera: Camera = this.ortho;
  private controls: OrbitControls;
  private readonly labelLayer: HTMLDivElement;
  private labels: Label[] = [];
  private positions: Float32Array = new Float32Array(0);
  private dims: 2 | 3 = 2;
  private frame = 0;
  private readonly observer: ResizeObserver;
  /** Called after each draw (the dashboard's test hook counts frames). */
  onDraw: (() => void) | null = null;

  constructor(private readonly host: HTMLElement) {
    this.canvas = document.createElement("canvas");
    this.canvas.className = "projector-canvas";
    host.appendChild(this.canvas);
    this.labelLayer = document.createElement("div");
    this.labelLayer.className = "projector-labels";
    host.appendChild(this.labelLayer);
    this.renderer = new WebGLRenderer({ canvas: this.canvas, antialias: false, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
    this.material = new ShaderMaterial({
      vertexShader: VERTEX,
      fragmentShader: FRAGMENT,
      uniforms: {
        size: { value: 3 },
        ratio: { value: this.renderer.getPixelRatio() },
        attenuate: { value: 0 },
        sprite: { value: null },
        useSprite: { value: 0 },
        grid: { value: [1, 1] },
        background: { value: new Vector3(1, 1, 1) },
      },
    });
    this.points = new Points(this.geometry, this.material);
    this.points.frustumCulled = false;
    this.scene.add(this.points);
    this.perspective.position.set(0, 0, CAMERA_DISTANCE);
    this.ortho.position.set(0, 0, 10);
    this.controls = this.makeControls();
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(host);
    this.resize();
  }

  private makeControls(): OrbitControls {
    const controls = new OrbitControls(this.camera, this.canvas);
    controls.enableDamping = false;
    controls.zoomToCursor = true;
    if (this.dims === 2) {
      controls.enableRotate = false;
      controls.mouseButtons = { LEFT: 2, MIDDLE: 1, RIGHT: 2 };
      controls.touches = { ONE: 1, TWO: 2 };
    }
    controls.addEventListener("change", () => this.requestDraw());
    return controls;
  }

  setBackground(dark: boolean): void {
    const v = dark ? 0.09 : 1;
    (this.material.uniforms["background"]!.value as Vector3).set(v, v, dark ? 0.11 : 1);
    this.renderer.setClearColor(dark ? 0x17181c : 0xffffff);
    this.requestDraw();
  }

  /** New positions (n × 3, NaN for points not placed); switching 2-D / 3-D resets the camera. */
  setPositions(positions: Float32Array, dims: 2 | 3): void {
    const n = positions.length / 3;
    const resized = n !== this.positions.length / 3;
    this.positions = positions;
    this.geometry.setAttribute("position", new BufferAttribute(positions, 3));
    if (resized) {
      this.geometry.setAttribute("rgb", new BufferAttribute(new Uint8Array(n * 3).fill(120), 3, true));
      this.geometry.setAttribute("flag", new BufferAttribute(new Uint8Array(n), 1));
    }
    this.geometry.setDrawRange(0, n);
    this.updateSize();
    if (dims !== this.dims || resized) {
      this.dims = dims;
      this.camera = dims === 3 ? this.perspective : this.ortho;
      this.material.uniforms["attenuate"]!.value = dims === 3 ? CAMERA_DISTANCE : 0;
      this.controls.dispose();
      this.perspective.position.set(0, 0, CAMERA_DISTANCE);
      this.ortho.position.set(0, 0, 10);
      this.ortho.zoom = 1;
      this.controls = this.makeControls();
      this.resize();
    }
    this.requestDraw();
  }

  setColors(rgb: Uint8Array): void {
    if (rgb.length !== this.positions.length) return;
    this.geometry.setAttribute("rgb", new BufferAttribute(rgb, 3, true));
    this.requestDraw();
  }

  setFlags(flags: Uint8Array): void {
    if (flags.length * 3 !== this.positions.length) return;
    this.geometry.setAttribute("flag", new BufferAttribute(flags, 1));
    this.requestDraw();
  }

  /** A sprite atlas (thumbnails row-major, `cell` pixels each) drawn as point textures, or none. */
  setSprite(image: HTMLImageElement | null, cell: readonly number[] | null): void {
    const u = this.material.uniforms;
    if (!image || !cell || cell.length < 2) {
      u["useSprite"]!.value = 0;
    } else {
      const texture = new Texture(image);
      texture.needsUpdate = true;
      u["sprite"]!.value = texture;
      u["grid"]!.value = [Math.max(1, Math.floor(image.naturalWidth / cell[0]!)), Math.max(1, Math.floor(image.naturalHeight / cell[1]!))];
      u["useSprite"]!.value = 1;
    }
    this.updateSize();
    this.requestDraw();
  }

  /** Point size in CSS pixels: smaller as points get many; thumbnails need room to be seen. */
  private updateSize(): void {
    const n = this.positions.length / 3;
    const u = this.material.uniforms;
    const base = n > 200_000 ? 1.5 : n > 20_000 ? 2.5 : n > 2_000 ? 4 : 6;
    u["size"]!.value = u["useSprite"]!.value ? Math.max(base, n > 5_000 ? 10 : 20) : base;
  }

  setLabels(labels: Label[]): void {
    this.labels = labels;
    this.placeLabels();
  }

  /** Nearest drawn point within `radius` CSS pixels of a pointer position, or null. */
  pick(clientX: number, clientY: number, radius = 8): number | null {
    const rect = this.canvas.getBoundingClientRect();
    const m = new Matrix4().multiplyMatrices(this.camera.projectionMatrix, this.camera.matrixWorldInverse).elements;
    const px = ((clientX - rect.left) / rect.width) * 2 - 1, py = 1 - ((clientY - rect.top) / rect.height) * 2;
    const sx = rect.width / 2, sy = rect.height / 2;
    const p = this.positions;
    let best = -1, bestD = radius * radius;
    for (let i = 0, n = p.length / 3; i < n; i++) {
      const x = p[i * 3]!, y = p[i * 3 + 1]!, z = p[i * 3 + 2]!;
      const w = m[3]! * x + m[7]! * y + m[11]! * z + m[15]!;
      if (!(w > 0)) continue;
      const dx = ((m[0]! * x + m[4]! * y + m[8]! * z + m[12]!) / w - px) * sx;
      const dy = ((m[1]! * x + m[5]! * y + m[9]! * z + m[13]!) / w - py) * sy;
      const d2 = dx * dx + dy * dy;
      if (d2 < bestD) {
        bestD = d2;
        best = i;
      }
    }
    return best >= 0 ? best : null;
  }

  /** Where point `index` is drawn, in client (CSS pixel) coordinates; null if off screen or not placed. */
  screenPosition(index: number): { x: number; y: number } | null {
    const p = this.positions;
    if (index < 0 || index * 3 >= p.length) return null;
    const v = new Vector3(p[index * 3]!, p[index * 3 + 1]!, p[index * 3 + 2]!).project(this.camera);
    if (!Number.isFinite(v.x) || Math.abs(v.x) > 1 || Math.abs(v.y) > 1) return null;
    const rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + ((v.x + 1) / 2) * rect.width, y: rect.top + ((1 - v.y) / 2) * rect.height };
  }

  /** Rotates the 3-D camera about the target by `angle` radians (benchmarks and tests orbit this way). */
  orbit(angle: number): void {
    const offset = this.camera.position.clone().sub(this.controls.target);
    offset.applyAxisAngle(new Vector3(0, 1, 0), angle);
    this.camera.position.copy(this.controls.target).add(offset);
    this.camera.lookAt(this.controls.target);
    this.draw();
  }

  requestDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw(): void {
    this.renderer.render(this.scene, this.camera);
    this.placeLabels();
    this.onDraw?.();
  }

  private placeLabels(): void {
    const layer = this.labelLayer;
    while (layer.children.length > this.labels.length) layer.lastChild!.remove();
    while (layer.children.length < this.labels.length) layer.appendChild(document.createElement("span"));
    const rect = this.canvas.getBoundingClientRect();
    const v = new Vector3();
    this.labels.forEach((label, k) => {
      const span = layer.children[k] as HTMLSpanElement;
      const i = label.index;
      v.set(this.positions[i * 3]!, this.positions[i * 3 + 1]!, this.positions[i * 3 + 2]!).project(this.camera);
      const visible = Number.isFinite(v.x) && v.z < 1 && Math.abs(v.x) <= 1 && Math.abs(v.y) <= 1;
      span.textContent = label.text;
      span.className = label.strong ? "strong" : "";
      span.style.display = visible ? "" : "none";
      span.style.transform = `translate(${((v.x + 1) / 2) * rect.width + 8}px, ${((1 - v.y) / 2) * rect.height - 8}px)`;
    });
  }

  private resize(): void {
    const width = Math.max(1, this.host.clientWidth), height = Math.max(1, this.host.clientHeight);
    this.renderer.setSize(width, height, false);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    const aspect = width / height;
    this.perspective.aspect = aspect;
    this.perspective.updateProjectionMatrix();
    const half = 1.12;
    this.ortho.left = -half * Math.max(1, aspect);
    this.ortho.right = half * Math.max(1, aspect);
    this.ortho.top = half * Math.max(1, 1 / aspect);
    this.ortho.bottom = -half * Math.max(1, 1 / aspect);
    this.ortho.updateProjectionMatrix();
    this.requestDraw();
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.observer.disconnect();
    this.controls.dispose();
    this.geometry.dispose();
    this.material.dispose();
    this.renderer.dispose();
    this.canvas.remove();
    this.labelLayer.remove();
  }
}

