/**
 * One 3-D view: a three.js renderer, camera, lights and the mesh or point cloud of one step, with
 * orbit controls. Drawn on demand (when the data, size or camera change), never in a loop, so a
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
import { autoPointSize, bounds, type LightConfig, type SceneConfig } from "./config";

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
  private readonly camera: PerspectiveCamera;
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
    this.camera = new PerspectiveCamera(config.camera.fov, 1, config.camera.near, config.camera.far);
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
    this.camera.aspect = width / Math.max(1, height);
    this.camera.updateProjectionMatrix();
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
      const [x, y, z] = box.center;
      // The bounding sphere fits the narrower side of the view with room to spare: near points
      // project larger than the sphere's outline under perspective.
      const halfFov = (Math.min(this.camera.fov, this.camera.fov * this.camera.aspect) / 2) * (Math.PI / 180);
      const distance = (box.radius / Math.sin(halfFov)) * 1.2;
      // From the front, a little above and to the left: looking along an axis or a diagonal hides
      // depth (a tetrahedron seen along (1, 1, 1) is a flat triangle).
      const [dx, dy, dz] = [-0.45, 0.4, 0.8];
      this.camera.position.set(x + distance * dx, y + distance * dy, z + distance * dz);
      this.camera.near = Math.max(this.camera.near, distance / 1000);
      this.camera.far = Math.max(this.camera.far, distance * 10);
      this.camera.updateProjectionMatrix();
      this.controls.target.set(x, y, z);
      this.controls.update();
      this.controls.saveState();
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

  private render(): void {
    this.renderer.render(this.scene, this.camera);
  }
}
