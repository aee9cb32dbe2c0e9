import Foundation
import Pictures

/// Anti-aliased drawing and procedural textures for the scene renderer.
extension GrayImage {
    /// Paints polylines (in pixel coordinates) with a round pen `width` pixels wide, blending towards `intensity`
    /// by the pen's coverage of each pixel (approximated by clamp(width/2 + 0.5 − distance, 0, 1)).
    public mutating func stroke(_ polylines: [[Point2]], width: Double, intensity: Float) {
        let segments = polylines.flatMap { line in zip(line, line.dropFirst()).map { ($0, $1) } }
        guard !segments.isEmpty else { return }
        let reach = width / 2 + 0.5
        let xs = segments.flatMap { [$0.0.x, $0.1.x] }, ys = segments.flatMap { [$0.0.y, $0.1.y] }
        let x0 = max(0, Int((xs.min()! - reach).rounded(.down))), x1 = min(self.width - 1, Int((xs.max()! + reach).rounded(.up)))
        let y0 = max(0, Int((ys.min()! - reach).rounded(.down))), y1 = min(height - 1, Int((ys.max()! + reach).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        for y in y0...y1 {
            for x in x0...x1 {
                let p = Point2(Double(x), Double(y))
                var d = Double.infinity
                for (a, b) in segments { d = min(d, GrayImage.distance(p, a, b)) }
                let coverage = Float(min(max(reach - d, 0), 1))
                if coverage > 0 { self[x, y] += (intensity - self[x, y]) * coverage }
            }
        }
    }

    /// Distance from p to the segment ab.
    static func distance(_ p: Point2, _ a: Point2, _ b: Point2) -> Double {
        let abx = b.x - a.x, aby = b.y - a.y
        let apx = p.x - a.x, apy = p.y - a.y
        let len2 = abx * abx + aby * aby
        let s = len2 > 0 ? min(max((apx * abx + apy * aby) / len2, 0), 1) : 0
        let dx = apx - s * abx, dy = apy - s * aby
        return (dx * dx + dy * dy).squareRoot()
    }

    /// Paints a disc (or, with `square`, an axis-aligned square) centred at `centre` with the given radius,
    /// anti-aliased, on the image repeated periodically (a shape crossing an edge reappears on the other side).
    public mutating func stampWrapped(centre: Point2, radius: Double, square: Bool, intensity: Float) {
        let reach = Int((radius + 1).rounded(.up))
        let cx = Int(centre.x.rounded()), cy = Int(centre.y.rounded())
        for j in (cy - reach)...(cy + reach) {
            for i in (cx - reach)...(cx + reach) {
                let dx = abs(Double(i) - centre.x), dy = abs(Double(j) - centre.y)
                let d = square ? max(dx, dy) : (dx * dx + dy * dy).squareRoot()
                let coverage = Float(min(max(radius + 0.5 - d, 0), 1))
                guard coverage > 0 else { continue }
                let x = GrayImage.wrap(i, width), y = GrayImage.wrap(j, height)
                self[x, y] += (intensity - self[x, y]) * coverage
            }
        }
    }

    /// Smooth value noise: random values on a lattice of cells about `cell` pixels wide, blended with smoothstep
    /// weights; `mean` ± `amplitude`. With `periodic`, the lattice wraps so that the texture tiles seamlessly.
    public static func valueNoise(width: Int, height: Int, cell: Int, mean: Float, amplitude: Float,
                                  periodic: Bool, random: inout SimulatorRandom) -> GrayImage {
        precondition(cell > 0, "a noise cell is at least one pixel, got \(cell)")
        // cx × cy lattice cells span the image exactly, so that a periodic lattice wraps at the image's edge.
        let cx = max(1, width / cell), cy = max(1, height / cell)
        let gw = cx + 1
        var lattice = [Float](repeating: 0, count: (cx + 1) * (cy + 1))
        for k in lattice.indices { lattice[k] = Float(random.uniform(-1, 1)) }
        func node(_ i: Int, _ j: Int) -> Float {
            periodic ? lattice[(j % cy) * gw + (i % cx)] : lattice[j * gw + i]
        }
        func smooth(_ t: Float) -> Float { t * t * (3 - 2 * t) }
        var out = GrayImage(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width {
                let u = Float(x) * Float(cx) / Float(width), v = Float(y) * Float(cy) / Float(height)
                let i = Int(u), j = Int(v)
                let a = smooth(u - Float(i)), b = smooth(v - Float(j))
                let top = node(i, j) * (1 - a) + node(i + 1, j) * a
                let bottom = node(i, j + 1) * (1 - a) + node(i + 1, j + 1) * a
                out[x, y] = mean + amplitude * (top * (1 - b) + bottom * b)
            }
        }
        return out
    }

    /// Adds another image (same size) scaled by `weight`.
    public mutating func add(_ other: GrayImage, weight: Float) {
        precondition(other.width == width && other.height == height, "adding images of different sizes")
        for k in pixels.indices { pixels[k] += weight * other.pixels[k] }
    }
}
