/**
 * One 3-D view: a three.js renderer, camera, lights and the mesh or point cloud of one step, with
 * orbit controls. The camera is the config's (perspective or orthographic, at its position if it
 * gives one: config.ts placeCamera), looking at the data's centre. Drawn on demand (when the data, size or camera change), never in a loop, so a
 * page of idle meshes costs no GPU time. Only the classes used are imported, to keep the lazily
 * loaded chunk small.
 */
import {
  AmbientLight,
  BufferAttribute,
  BufferGeometry,
  CanvasTexture,
  Color,
  DirectionalLight,
  HemisphereLight,
  Mesh,
  MeshStandardMaterial,
  OrthographicCamera,
  PerspectiveCamera,
  PointLight,
  Points,
  PointsMaterial,
  Scene,
  WebGLRenderer,
  type Light,
  type Material,
} from "three";
import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";
import type { MeshArrays } from "../../api/mesh";
import { autoPointSize, bounds, type CameraConfig, type LightConfig, placeCamera, type SceneConfig } from "./config";

/** Whether this browser can make a WebGL context at all (checked without three.js, which logs errors). */
export function webglAvailable(): boolean {
  try {
    const canvas = document.createElement("canvas");
    return (canvas.getContext("webgl2") ?? canvas.getContext("webgl")) !== null;
  } catch {
    return false;
  }
}

function makeLight(config: LightConfig): Light {
  switch (config.kind) {
    case "ambient":
      return new AmbientLight(config.color, config.intensity);
    case "hemisphere":
      return new HemisphereLight(config.color, 0x444444, config.intensity);
    case "point":
      return new PointLight(config.color, config.intensity, 0, 0);
    default:
      return new DirectionalLight(config.color, config.intensity);
  }
}

/**
 * Colour bytes as written (sRGB, like image pixels) in the linear space three.js lights and blends
 * in; it converts back to sRGB on output. Handed over as bytes, they would come out paler.
 */
function linearColors(bytes: Uint8Array): Float32Array {
  const table = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    const c = i / 255;
    table[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = table[bytes[i] as number] as number;
  return out;
}

let disc: CanvasTexture | null = null;

/** A white disc on transparent ground, made once per page. */
function discTexture(): CanvasTexture {
  if (disc) return disc;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 64;
  const ctx = canvas.getContext("2d");
  if (ctx) {
    ctx.fillStyle = "#fff";
    ctx.beginPath();
    ctx.arc(32, 32, 30, 0, Math.PI * 2);
    ctx.fill();
  }
  disc = new CanvasTexture(canvas);
  return disc;
}

export class MeshView {
  private readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly camera: PerspectiveCamera | OrthographicCamera;
  private readonly cameraConfig: CameraConfig;
  private aspect = 1;
  /** The orthographic view box at aspect 1 (as placed), stretched to the view's shape on resize. */
  private frustum: { left: number; right: number; top: number; bottom: number } | null = null;
  private readonly controls: OrbitControls;
  private object: Mesh | Points | null = null;
  /** The camera is placed once, on the first data: later steps keep the user's view. */
  private placed = false;

  constructor(
    readonly canvas: HTMLCanvasElement,
    config: SceneConfig,
  ) {
    // preserveDrawingBuffer: PNG downloads and screenshots read the canvas after drawing.
    this.renderer = new WebGLRenderer({ canvas, antialias: true, alpha: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(2, devicePixelRatio));
    this.cameraConfig = config.camera;
    const c = config.camera;
    this.camera = c.kind === "orthographic" ? new OrthographicCamera(-1, 1, 1, -1, c.near, c.far) : new PerspectiveCamera(c.fov, 1, c.near, c.far);
    this.camera.zoom = c.zoom;
    for (const light of config.lights) {
      const made = makeLight(light);
      if (light.position) made.position.set(...light.position);
      // Lights without a position shine from the camera's side: they move with it.
      if (light.position === null && light.kind !== "ambient" && light.kind !== "hemisphere") this.camera.add(made);
      else this.scene.add(made);
    }
    this.scene.add(this.camera);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.addEventListener("change", () => this.render());
  }

  setSize(width: number, height: number): void {
    this.renderer.setSize(width, height, false);
    this.aspect = width / Math.max(1, height);
    this.fitProjection();
    this.render();
  }

  show(arrays: MeshArrays, config: SceneConfig): void {
    this.clear();
    const geometry = new BufferGeometry();
    geometry.setAttribute("position", new BufferAttribute(arrays.positions, 3));
    const vertexCount = arrays.positions.length / 3;
    const colored = arrays.colors !== null && arrays.colors.length === arrays.positions.length;
    if (colored && arrays.colors) geometry.setAttribute("color", new BufferAttribute(linearColors(arrays.colors), 3));
    const box = bounds(arrays.positions);
    let material: Material;
    if (arrays.faces && arrays.faces.length >= 3) {
      geometry.setIndex(new BufferAttribute(arrays.faces, 1));
      geometry.computeVertexNormals();
      material = new MeshStandardMaterial({
        color: colored ? 0xffffff : config.material.color,
        vertexColors: colored,
        roughness: config.material.roughness,
        metalness: config.material.metalness,
        transparent: config.material.opacity < 1,
        opacity: config.material.opacity,
        wireframe: config.material.wireframe,
        side: 2, // DoubleSide: faces written in either winding stay visible
      });
      this.object = new Mesh(geometry, material);
    } else {
      material = new PointsMaterial({
        color: colored ? 0xffffff : config.material.color,
        vertexColors: colored,
        // Round points: a disc as the alpha map, its corners cut away by the alpha test.
        alphaMap: discTexture(),
        alphaTest: 0.5,
        transparent: false,
        size: config.material.size > 0 ? config.material.size : autoPointSize(box.radius, vertexCount),
        sizeAttenuation: true,
      });
      this.object = new Points(geometry, material);
    }
    this.scene.add(this.object);
    if (!this.placed) {
      this.placed = true;
      const placed = placeCamera(this.cameraConfig, box, this.aspect);
      this.camera.position.set(...placed.position);
      this.camera.near = placed.near;
      this.camera.far = placed.far;
      // A view box the config gave is kept as given; a fitted one follows the view's shape.
      this.frustum = this.cameraConfig.frustum === null ? placeCamera(this.cameraConfig, box, 1).frustum : placed.frustum;
      this.fitProjection();
      this.controls.target.set(...placed.target);
      this.controls.update();
      this.controls.saveState();
      this.describe();
    }
    this.render();
  }

  /** Back to the first view of the data. */
  resetView(): void {
    this.controls.reset();
    this.render();
  }

  setBackground(color: string | null): void {
    this.scene.background = color === null ? null : new Color(color);
    this.render();
  }

  png(): string {
    this.render();
    return this.canvas.toDataURL("image/png");
  }

  dispose(): void {
    this.clear();
    this.controls.dispose();
    this.renderer.dispose();
    // Gives the context back now: browsers allow only a few at once.
    this.renderer.forceContextLoss();
  }

  private clear(): void {
    if (!this.object) return;
    this.scene.remove(this.object);
    this.object.geometry.dispose();
    const material = this.object.material;
    if (Array.isArray(material)) for (const m of material) m.dispose();
    else material.dispose();
    this.object = null;
  }

  private fitProjection(): void {
    const camera = this.camera;
    if (camera instanceof PerspectiveCamera) camera.aspect = this.aspect;
    else if (this.frustum) {
      const f = this.frustum;
      const fitted = this.cameraConfig.frustum === null;
      // Fitted: widen (or heighten) the square box to the view's shape, so nothing is stretched.
      const sx = fitted ? Math.max(1, this.aspect) : 1;
      const sy = fitted ? Math.max(1, 1 / this.aspect) : 1;
      camera.left = f.left * sx;
      camera.right = f.right * sx;
      camera.top = f.top * sy;
      camera.bottom = f.bottom * sy;
    }
    camera.updateProjectionMatrix();
  }

  /** The camera as placed, on the canvas: browser tests check it without reading pixels. */
  private describe(): void {
    const d = this.canvas.dataset;
    const p = this.camera.position;
    d["camera"] = this.camera instanceof OrthographicCamera ? "orthographic" : "perspective";
    d["cameraPosition"] = JSON.stringify([p.x, p.y, p.z].map((v) => Number(v.toFixed(4))));
    const t = this.controls.target;
    d["cameraTarget"] = JSON.stringify([t.x, t.y, t.z].map((v) => Number(v.toFixed(4))));
    if (this.camera instanceof PerspectiveCamera) d["cameraFov"] = String(this.camera.fov);
  }

  private render(): void {
    this.renderer.render(this.scene, this.camera);
  }
}
