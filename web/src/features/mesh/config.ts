/**
 * The three.js scene config a mesh summary carries (`config_dict` of `add_mesh`, TensorBoard's
 * format: `camera`, `lights`, `material`, each with a `cls` class name and constructor
 * arguments), read into a small closed description. Only known classes and plain numbers / colours
 * are taken: the JSON comes from the logdir, so it never names code to run.
 */

/**
 * The camera: three.js's PerspectiveCamera (``fov``) or OrthographicCamera (``left`` / ``right`` /
 * ``top`` / ``bottom``; without them the view box fits the data), ``near`` / ``far``, and where it
 * stands (``position``, as [x, y, z] or {x, y, z}; without it, a view from the front-left fitted to
 * the data). It always looks at the data's centre, where the orbit controls turn. ``aspect`` is
 * ignored: the view's own width and height give it.
 */
export interface CameraConfig {
  kind: "perspective" | "orthographic";
  fov: number;
  near: number;
  far: number;
  position: [number, number, number] | null;
  /** The orthographic view box as given, or null to fit the data. */
  frustum: { left: number; right: number; top: number; bottom: number } | null;
  zoom: number;
}

export interface LightConfig {
  kind: "ambient" | "directional" | "point" | "hemisphere";
  color: number;
  intensity: number;
  position: [number, number, number] | null;
}

export interface MaterialConfig {
  /** What to draw points with when the summary has no faces; faces are always surfaces. */
  size: number;
  /** Colour used without per-vertex colours. */
  color: number;
  roughness: number;
  metalness: number;
  opacity: number;
  wireframe: boolean;
}

export interface SceneConfig {
  camera: CameraConfig;
  lights: LightConfig[];
  material: MaterialConfig;
}

const DEFAULT_LIGHTS: LightConfig[] = [
  { kind: "ambient", color: 0xffffff, intensity: 0.75, position: null },
  { kind: "directional", color: 0xffffff, intensity: 1.5, position: [1, 2, 3] },
];

export const DEFAULT_CONFIG: SceneConfig = {
  camera: { kind: "perspective", fov: 75, near: 0.01, far: 1000, position: null, frustum: null, zoom: 1 },
  lights: DEFAULT_LIGHTS,
  material: { size: 0, color: 0x9ca3af, roughness: 0.8, metalness: 0, opacity: 1, wireframe: false },
};

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function num(v: unknown, fallback: number, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY): number {
  return typeof v === "number" && Number.isFinite(v) ? Math.min(Math.max(v, min), max) : fallback;
}

/** `#rgb`, `#rrggbb`, `0xrrggbb` text or a number; anything else keeps the fallback. */
export function parseColor(v: unknown, fallback: number): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffffff) return v;
  if (typeof v !== "string") return fallback;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(v);
  if (short) return parseInt(`${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`, 16);
  const long = /^(?:#|0x)([0-9a-f]{6})$/i.exec(v);
  return long ? parseInt(long[1] as string, 16) : fallback;
}

function position(v: unknown): [number, number, number] | null {
  if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === "number" && Number.isFinite(x))) {
    return [v[0] as number, v[1] as number, v[2] as number];
  }
  if (isObject(v)) return [num(v["x"], 0), num(v["y"], 0), num(v["z"], 0)];
  return null;
}

const LIGHT_KINDS: Record<string, LightConfig["kind"]> = {
  AmbientLight: "ambient",
  DirectionalLight: "directional",
  PointLight: "point",
  HemisphereLight: "hemisphere",
};

function light(v: unknown): LightConfig | null {
  if (!isObject(v)) return null;
  const kind = LIGHT_KINDS[String(v["cls"])];
  if (!kind) return null;
  return {
    kind,
    color: parseColor(v["color"] ?? v["skyColor"], 0xffffff),
    intensity: num(v["intensity"], 1, 0, 100),
    position: position(v["position"]),
  };
}

function finiteNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

function parseCamera(camera: Json): CameraConfig {
  const d = DEFAULT_CONFIG.camera;
  const kind = camera["cls"] === "OrthographicCamera" ? "orthographic" : "perspective";
  const [left, right, top, bottom] = [camera["left"], camera["right"], camera["top"], camera["bottom"]];
  // A view box needs all four sides, the right of the left and the top above the bottom.
  const frustum =
    kind === "orthographic" && finiteNumber(left) && finiteNumber(right) && finiteNumber(top) && finiteNumber(bottom) && right > left && top > bottom
      ? { left, right, top, bottom }
      : null;
  const near = num(camera["near"], kind === "orthographic" ? 0.01 : d.near, kind === "orthographic" ? -1e9 : 1e-6);
  return {
    kind,
    fov: num(camera["fov"], d.fov, 1, 179),
    near,
    far: Math.max(num(camera["far"], d.far, 1e-3), near + 1e-3),
    position: position(camera["position"]),
    frustum,
    zoom: num(camera["zoom"], 1, 1e-3, 1e3),
  };
}

/** The config of a mesh step; unknown or broken parts fall back to the defaults, never throw. */
export function parseSceneConfig(text: string): SceneConfig {
  let json: unknown;
  try {
    json = JSON.parse(text || "{}");
  } catch {
    return DEFAULT_CONFIG;
  }
  if (!isObject(json)) return DEFAULT_CONFIG;
  const camera = isObject(json["camera"]) ? json["camera"] : {};
  const material = isObject(json["material"]) ? json["material"] : {};
  const d = DEFAULT_CONFIG;
  const lights = Array.isArray(json["lights"])
    ? json["lights"].map(light).filter((l): l is LightConfig => l !== null)
    : d.lights;
  return {
    camera: parseCamera(camera),
    // A config with no usable light would draw surfaces black: keep the defaults then.
    lights: lights.length > 0 ? lights : d.lights,
    material: {
      size: num(material["size"], d.material.size, 0, 1e6),
      color: parseColor(material["color"], d.material.color),
      roughness: num(material["roughness"], d.material.roughness, 0, 1),
      metalness: num(material["metalness"], d.material.metalness, 0, 1),
      opacity: num(material["opacity"], d.material.opacity, 0, 1),
      wireframe: material["wireframe"] === true,
    },
  };
}

/** Centre and radius of the points' bounding box (radius 1 when empty or a single point). */
export function bounds(positions: Float32Array): { center: [number, number, number]; radius: number } {
  const n = Math.floor(positions.length / 3);
  if (n === 0) return { center: [0, 0, 0], radius: 1 };
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) {
      const v = positions[i * 3 + k] as number;
      if (v < (lo[k] as number)) lo[k] = v;
      if (v > (hi[k] as number)) hi[k] = v;
    }
  }
  const center: [number, number, number] = [0, 1, 2].map((k) => ((lo[k] as number) + (hi[k] as number)) / 2) as [number, number, number];
  const radius = Math.hypot(...[0, 1, 2].map((k) => ((hi[k] as number) - (lo[k] as number)) / 2));
  return { center, radius: radius > 0 ? radius : 1 };
}

/** A point size that shows a cloud of ``count`` points in a sphere of ``radius`` as a shape, not a blur. */
export function autoPointSize(radius: number, count: number): number {
  return (radius * 2) / Math.max(8, Math.cbrt(Math.max(1, count)) * 6);
}

/** Where the camera stands and what it sees, for data with ``box`` in a view of ``aspect``. */
export interface Placement {
  position: [number, number, number];
  target: [number, number, number];
  near: number;
  far: number;
  /** Orthographic cameras: the view box. */
  frustum: { left: number; right: number; top: number; bottom: number };
}

/**
 * The first view of the data: the config's position if it has one, else from the front, a little
 * above and to the left (looking along an axis or a diagonal hides depth: a tetrahedron seen along
 * (1, 1, 1) is a flat triangle), far enough that the bounding sphere fits the narrower side of the
 * view. The view box of an orthographic camera fits that sphere too, unless the config gave one.
 */
export function placeCamera(camera: CameraConfig, box: { center: [number, number, number]; radius: number }, aspect: number): Placement {
  const [x, y, z] = box.center;
  const halfFov = (Math.min(camera.fov, camera.fov * aspect) / 2) * (Math.PI / 180);
  // Near points project larger than the sphere's outline under perspective: room to spare.
  const fitted = camera.kind === "perspective" ? (box.radius / Math.sin(halfFov)) * 1.2 : box.radius * 3;
  const [dx, dy, dz] = [-0.45, 0.4, 0.8];
  const norm = Math.hypot(dx, dy, dz);
  const position: [number, number, number] = camera.position ?? [x + (fitted * dx) / norm, y + (fitted * dy) / norm, z + (fitted * dz) / norm];
  const distance = Math.hypot(position[0] - x, position[1] - y, position[2] - z) || fitted;
  const half = box.radius * 1.15;
  const frustum = camera.frustum ?? { left: -half * Math.max(1, aspect), right: half * Math.max(1, aspect), top: half / Math.min(1, aspect), bottom: -half / Math.min(1, aspect) };
  if (camera.kind === "orthographic") {
    // Nothing shrinks with distance: near and far just have to hold the data on both sides.
    return { position, target: box.center, near: Math.min(camera.near, distance - box.radius * 2), far: Math.max(camera.far, distance + box.radius * 2), frustum };
  }
  return { position, target: box.center, near: Math.max(camera.near, distance / 1000), far: Math.max(camera.far, distance * 10), frustum };
}
