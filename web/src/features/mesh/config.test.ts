import { describe, expect, it } from "vitest";
import { autoPointSize, bounds, DEFAULT_CONFIG, parseColor, parseSceneConfig, placeCamera } from "./config";

describe("parseSceneConfig", () => {
  it("reads TensorBoard's camera / lights / material config", () => {
    const config = parseSceneConfig(
      JSON.stringify({
        camera: { cls: "PerspectiveCamera", fov: 60, near: 0.1, far: 50 },
        lights: [
          { cls: "AmbientLight", color: "#ffffff", intensity: 0.6 },
          { cls: "DirectionalLight", color: "#ff0000", intensity: 1.2, position: [0, -1, 2] },
        ],
        material: { cls: "PointsMaterial", size: 0.2, color: "#0f0" },
      }),
    );
    expect(config.camera).toEqual({ kind: "perspective", fov: 60, near: 0.1, far: 50, position: null, frustum: null, zoom: 1 });
    expect(config.lights).toEqual([
      { kind: "ambient", color: 0xffffff, intensity: 0.6, position: null },
      { kind: "directional", color: 0xff0000, intensity: 1.2, position: [0, -1, 2] },
    ]);
    expect(config.material.size).toBe(0.2);
    expect(config.material.color).toBe(0x00ff00);
  });

  it("reads the camera's position and an orthographic camera with or without its view box", () => {
    const placed = parseSceneConfig(JSON.stringify({ camera: { cls: "PerspectiveCamera", fov: 40, position: [0, 0, 5] } })).camera;
    expect(placed).toMatchObject({ kind: "perspective", fov: 40, position: [0, 0, 5] });
    const ortho = parseSceneConfig(
      JSON.stringify({ camera: { cls: "OrthographicCamera", left: -2, right: 2, top: 1.5, bottom: -1.5, near: 0.1, far: 100, position: { x: 1, y: 2, z: 3 }, zoom: 2 } }),
    ).camera;
    expect(ortho).toEqual({ kind: "orthographic", fov: 75, near: 0.1, far: 100, position: [1, 2, 3], frustum: { left: -2, right: 2, top: 1.5, bottom: -1.5 }, zoom: 2 });
    // Half a view box (or an inverted one) is no view box: it is fitted to the data instead.
    expect(parseSceneConfig(JSON.stringify({ camera: { cls: "OrthographicCamera", left: -1, right: 1 } })).camera.frustum).toBeNull();
    expect(parseSceneConfig(JSON.stringify({ camera: { cls: "OrthographicCamera", left: 1, right: -1, top: 1, bottom: -1 } })).camera.frustum).toBeNull();
  });

  it("ignores unknown camera classes and positions that are not three numbers", () => {
    const camera = parseSceneConfig(JSON.stringify({ camera: { cls: "CubeCamera", position: [1, "x", 3] } })).camera;
    expect(camera.kind).toBe("perspective");
    expect(camera.position).toBeNull();
  });

  it("falls back to the defaults for broken, empty or unknown parts, never throwing", () => {
    expect(parseSceneConfig("not json")).toEqual(DEFAULT_CONFIG);
    expect(parseSceneConfig("")).toEqual(DEFAULT_CONFIG);
    expect(parseSceneConfig("[1]")).toEqual(DEFAULT_CONFIG);
    // Unknown light classes are skipped; none left means the default lights, not a black scene.
    const config = parseSceneConfig(JSON.stringify({ lights: [{ cls: "SpotLight" }, "x"], camera: { fov: 1000 } }));
    expect(config.lights).toEqual(DEFAULT_CONFIG.lights);
    expect(config.camera.fov).toBe(179);
  });
});

describe("parseColor", () => {
  it("takes #rgb, #rrggbb, 0xrrggbb and integers", () => {
    expect(parseColor("#abc", 0)).toBe(0xaabbcc);
    expect(parseColor("#123456", 0)).toBe(0x123456);
    expect(parseColor("0x00ff00", 0)).toBe(0x00ff00);
    expect(parseColor(255, 0)).toBe(255);
    expect(parseColor("red", 7)).toBe(7);
    expect(parseColor(-1, 7)).toBe(7);
  });
});

describe("bounds", () => {
  it("centre and radius of the bounding box", () => {
    const b = bounds(Float32Array.from([0, 0, 0, 2, 4, 4]));
    expect(b.center).toEqual([1, 2, 2]);
    expect(b.radius).toBeCloseTo(3);
  });

  it("an empty or single-point cloud gets radius 1, so the camera still has somewhere to stand", () => {
    expect(bounds(new Float32Array(0))).toEqual({ center: [0, 0, 0], radius: 1 });
    expect(bounds(Float32Array.from([1, 1, 1])).radius).toBe(1);
  });

  it("point size shrinks as a cloud gets denser", () => {
    expect(autoPointSize(1, 1000)).toBeLessThan(autoPointSize(1, 10));
  });
});

describe("placeCamera", () => {
  const box = { center: [1, 2, 3] as [number, number, number], radius: 2 };
  it("stands where the config says and looks at the data's centre", () => {
    const camera = parseSceneConfig(JSON.stringify({ camera: { cls: "PerspectiveCamera", position: [1, 2, 13] } })).camera;
    const placed = placeCamera(camera, box, 1.5);
    expect(placed.position).toEqual([1, 2, 13]);
    expect(placed.target).toEqual([1, 2, 3]);
    expect(placed.far).toBeGreaterThanOrEqual(100);
  });
  it("without a position, stands far enough for the data to fit a perspective view", () => {
    const placed = placeCamera(DEFAULT_CONFIG.camera, box, 1);
    const distance = Math.hypot(placed.position[0] - 1, placed.position[1] - 2, placed.position[2] - 3);
    expect(distance).toBeGreaterThan(box.radius / Math.sin((75 / 2) * (Math.PI / 180)));
  });
  it("fits an orthographic view box to the data and the view's shape, unless the config gave one", () => {
    const fitted = placeCamera(parseSceneConfig('{"camera": {"cls": "OrthographicCamera"}}').camera, box, 2);
    expect(fitted.frustum.right - fitted.frustum.left).toBeCloseTo(2 * (fitted.frustum.top - fitted.frustum.bottom));
    expect(fitted.frustum.top).toBeGreaterThan(box.radius);
    const given = parseSceneConfig('{"camera": {"cls": "OrthographicCamera", "left": -5, "right": 5, "top": 3, "bottom": -3}}').camera;
    expect(placeCamera(given, box, 2).frustum).toEqual({ left: -5, right: 5, top: 3, bottom: -3 });
  });
});
