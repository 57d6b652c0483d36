/**
 * The Barnes-Hut space-partitioning tree of t-SNE's layout — a quadtree in 2-D, an octree in 3-D —
 * rebuilt every iteration. Far-away cells stand in for all their points (at their centre of mass)
 * when the cell is small seen from the point (width / distance < θ), which turns the O(n²)
 * repulsion into O(n log n). Nodes live in flat typed arrays that grow by doubling and are reused
 * across rebuilds, so an iteration allocates nothing once the tree has reached its size.
 */

/** Deeper than this, points are kept together in one leaf (only near-duplicates get there). */
const MAX_DEPTH = 48;

export class SpaceTree {
  /** Nodes in use after the last `build`. */
  size = 0;
  private capacity = 0;
  /** Per node: cell centre (dims each), half width, point count, centre of mass (dims each). */
  private centre: Float64Array = new Float64Array(0);
  private half: Float64Array = new Float64Array(0);
  private count: Int32Array = new Int32Array(0);
  private mass: Float64Array = new Float64Array(0);
  /** Index of the first of 2^dims consecutive children, or -1 for a leaf. */
  private child: Int32Array = new Int32Array(0);
  /** A leaf's first point, or -1 when empty. */
  private point: Int32Array = new Int32Array(0);
  private depth: Int32Array = new Int32Array(0);
  /** Per node, packed for the force pass: centre of mass (x, y, z), squared width, count. */
  private summary: Float64Array = new Float64Array(0);
  private stack: Int32Array = new Int32Array(1024);
  private readonly fanout: number;

  constructor(private readonly dims: 2 | 3) {
    this.fanout = 1 << dims;
  }

  private grow(need: number): void {
    if (need <= this.capacity) return;
    const cap = Math.max(need, this.capacity * 2, 64);
    const dims = this.dims;
    const f64 = (old: Float64Array, size: number): Float64Array => {
      const next = new Float64Array(size);
      next.set(old);
      return next;
    };
    const i32 = (old: Int32Array, size: number): Int32Array => {
      const next = new Int32Array(size);
      next.set(old);
      return next;
    };
    this.centre = f64(this.centre, cap * dims);
    this.mass = f64(this.mass, cap * dims);
    this.half = f64(this.half, cap);
    this.count = i32(this.count, cap);
    this.child = i32(this.child, cap);
    this.point = i32(this.point, cap);
    this.depth = i32(this.depth, cap);
    this.summary = new Float64Array(cap * 5);
    this.capacity = cap;
  }

  private init(node: number, depth: number): void {
    this.count[node] = 0;
    this.child[node] = -1;
    this.point[node] = -1;
    this.depth[node] = depth;
    for (let c = 0; c < this.dims; c++) this.mass[node * this.dims + c] = 0;
  }

  /** Builds the tree over the n points of the row-major layout `y` (n × dims). */
  build(y: Float64Array, n: number): void {
    const dims = this.dims;
    this.grow(Math.max(64, 2 * n));
    // Root cell: the bounding box, squared up.
    let half = 0;
    for (let c = 0; c < dims; c++) {
      let lo = Infinity, hi = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = y[i * dims + c]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      this.centre[c] = n > 0 ? (lo + hi) / 2 : 0;
      half = Math.max(half, (hi - lo) / 2);
    }
    this.half[0] = half * (1 + 1e-6) + 1e-9;
    this.init(0, 0);
    this.size = 1;
    for (let i = 0; i < n; i++) this.insert(y, i);
    // Sums of coordinates become centres of mass.
    // Sums of coordinates become centres of mass, packed with what the force pass reads.
    const summary = this.summary;
    for (let node = 0; node < this.size; node++) {
      const m = this.count[node]!;
      const at = node * 5;
      for (let c = 0; c < 3; c++) summary[at + c] = c < dims && m > 0 ? this.mass[node * dims + c]! / m : 0;
      summary[at + 3] = 4 * this.half[node]! * this.half[node]!;
      summary[at + 4] = m;
    }
  }

  private insert(y: Float64Array, i: number): void {
    const dims = this.dims;
    let node = 0;
    for (;;) {
      this.count[node]!++;
      for (let c = 0; c < dims; c++) this.mass[node * dims + c]! += y[i * dims + c]!;
      const first = this.child[node]!;
      if (first >= 0) {
        node = first + this.octant(node, y, i);
        continue;
      }
      const occupant = this.point[node]!;
      if (occupant < 0) {
        this.point[node] = i;
        return;
      }
      if (this.depth[node]! >= MAX_DEPTH || this.same(y, i, occupant)) return;
      // Split: the earlier points (all at the occupant's place) move to one child.
      this.grow(this.size + this.fanout);
      const start = this.size;
      this.size += this.fanout;
      const h = this.half[node]! / 2;
      for (let q = 0; q < this.fanout; q++) {
        const k = start + q;
        this.init(k, this.depth[node]! + 1);
        this.half[k] = h;
        for (let c = 0; c < dims; c++) this.centre[k * dims + c] = this.centre[node * dims + c]! + ((q >> c) & 1 ? h : -h);
      }
      this.child[node] = start;
      this.point[node] = -1;
      const moved = start + this.octant(node, y, occupant);
      this.point[moved] = occupant;
      this.count[moved] = this.count[node]! - 1;
      for (let c = 0; c < dims; c++) this.mass[moved * dims + c] = this.mass[node * dims + c]! - y[i * dims + c]!;
      node = start + this.octant(node, y, i);
    }
  }

  private octant(node: number, y: Float64Array, i: number): number {
    let q = 0;
    for (let c = 0; c < this.dims; c++) if (y[i * this.dims + c]! > this.centre[node * this.dims + c]!) q |= 1 << c;
    return q;
  }

  private same(y: Float64Array, i: number, j: number): boolean {
    for (let c = 0; c < this.dims; c++) if (y[i * this.dims + c]! !== y[j * this.dims + c]!) return false;
    return true;
  }

  /**
   * Adds point i's unnormalised repulsion Σ_j q_ij² (y_i − y_j), with q_ij = 1 / (1 + |y_i − y_j|²),
   * into `out` at i·dims, and returns Σ_j q_ij (its share of the normaliser Z); j ≠ i.
   */
  repulsion(y: Float64Array, i: number, theta: number, out: Float64Array): number {
    const dims = this.dims;
    const theta2 = theta * theta;
    const summary = this.summary, child = this.child, point = this.point;
    let sumQ = 0;
    let fx = 0, fy = 0, fz = 0;
    const yx = y[i * dims]!, yy = y[i * dims + 1]!, yz = dims === 3 ? y[i * dims + 2]! : 0;
    let top = 0;
    let stack = this.stack;
    stack[top++] = 0;
    while (top > 0) {
      const node = stack[--top]!;
      const at = node * 5;
      const m = summary[at + 4]!;
      const first = child[node]!;
      if (first < 0 && point[node] === i) {
        // Points identical to i (if any) repel with q = 1 and no direction.
        sumQ += m - 1;
        continue;
      }
      const dx = yx - summary[at]!, dy = yy - summary[at + 1]!, dz = yz - summary[at + 2]!;
      const dist2 = dx * dx + dy * dy + dz * dz;
      if (first < 0 || summary[at + 3]! < theta2 * dist2) {
        const q = 1 / (1 + dist2);
        sumQ += m * q;
        const f = m * q * q;
        fx += f * dx;
        fy += f * dy;
        fz += f * dz;
        continue;
      }
      if (top + this.fanout > stack.length) {
        const bigger = new Int32Array(stack.length * 2);
        bigger.set(stack);
        this.stack = stack = bigger;
      }
      // Only non-empty children are visited.
      for (let q = 0; q < this.fanout; q++) if (summary[(first + q) * 5 + 4]! > 0) stack[top++] = first + q;
    }
    out[i * dims]! += fx;
    out[i * dims + 1]! += fy;
    if (dims === 3) out[i * dims + 2]! += fz;
    return sumQ;
  }
}
