import { describe, expect, it } from "vitest";
import { autoPointSize, bounds, DEFAULT_CONFIG, parseColor, parseSceneConfig } from "./config";

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
    expect(config.camera).toEqual({ fov: 60, near: 0.1, far: 50 });
    expect(config.lights).toEqual([
      { kind: "ambient", color: 0xffffff, intensity: 0.6, position: null },
      { kind: "directional", color: 0xff0000, intensity: 1.2, position: [0, -1, 2] },
    ]);
    expect(config.material.size).toBe(0.2);
    expect(config.material.color).toBe(0x00ff00);
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
