/// Average pooling, forward and backward side by side. Legend: B batch, C channels, H×W input.

/// 2×2 average pooling with stride 2 (H and W even… or odd, the last row/column is dropped as in PyTorch).
///
///     forward   y[b,c,i,j] = ¼ Σ_{dy,dx ∈ {0,1}} x[b,c,2i+dy,2j+dx]         x [B,C,H,W] → y [B,C,H/2,W/2]
///     backward  dx[b,c,2i+dy,2j+dx] = ¼ dy[b,c,i,j]
public enum AveragePool2 {
    /// Planes holding fewer floats than this in all stay on one thread.
    static let grain = 1 << 13

    public static func forward(_ x: UnsafePointer<Float>, planes: Int, height: Int, width: Int,
                               into y: UnsafeMutablePointer<Float>) {
        let ho = height / 2, wo = width / 2
        struct Planes: RangeLoop {
            let x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, height: Int, width: Int, ho: Int, wo: Int

            func callAsFunction(_ range: Range<Int>) {
                for p in range {
                    let src = x + p * height * width, dst = y + p * ho * wo
                    for i in 0..<ho {
                        let r0 = src + 2 * i * width, r1 = r0 + width, out = dst + i * wo
                        // Eight outputs at a time: the 16 inputs of two rows summed, then even and odd columns paired.
                        var j = 0
                        while j + 8 <= wo {
                            let column = Vector.load16(r0, 2 * j) + Vector.load16(r1, 2 * j)
                            Vector.store(0.25 * (column.evenHalf + column.oddHalf), out, j)
                            j += 8
                        }
                        while j < wo {
                            out[j] = 0.25 * ((r0[2 * j] + r1[2 * j]) + (r0[2 * j + 1] + r1[2 * j + 1]))
                            j += 1
                        }
                    }
                }
            }
        }
        Parallel.forRanges(planes, grain: max(1, grain / (height * width)),
                           Planes(x: x, y: y, height: height, width: width, ho: ho, wo: wo))
    }

    public static func backward(_ dy: UnsafePointer<Float>, planes: Int, height: Int, width: Int,
                                into dx: UnsafeMutablePointer<Float>) {
        let ho = height / 2, wo = width / 2
        struct Planes: RangeLoop {
            let dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, height: Int, width: Int, ho: Int, wo: Int

            func callAsFunction(_ range: Range<Int>) {
                for p in range {
                    let src = dy + p * ho * wo, dst = dx + p * height * width
                    if height % 2 == 1 || width % 2 == 1 { dst.update(repeating: 0, count: height * width) }
                    for i in 0..<ho {
                        let r0 = dst + 2 * i * width, r1 = r0 + width, g = src + i * wo
                        var j = 0
                        while j + 8 <= wo {
                            let v = 0.25 * Vector.load(g, j)
                            var pairs = SIMD16<Float>()
                            pairs.evenHalf = v; pairs.oddHalf = v
                            Vector.store16(pairs, r0, 2 * j); Vector.store16(pairs, r1, 2 * j)
                            j += 8
                        }
                        while j < wo {
                            let v = 0.25 * g[j]
                            r0[2 * j] = v; r0[2 * j + 1] = v; r1[2 * j] = v; r1[2 * j + 1] = v
                            j += 1
                        }
                    }
                }
            }
        }
        Parallel.forRanges(planes, grain: max(1, grain / (height * width)),
                           Planes(dy: dy, dx: dx, height: height, width: width, ho: ho, wo: wo))
    }
}

/// Global average pooling: one mean per plane.
///
///     forward   y[b,c] = (1/HW) Σ_{i,j} x[b,c,i,j]                          x [B,C,H,W] → y [B,C]
///     backward  dx[b,c,i,j] = dy[b,c] / HW
public enum GlobalAveragePool {
    public static func forward(_ x: UnsafePointer<Float>, planes: Int, size: Int, into y: UnsafeMutablePointer<Float>) {
        let scale = 1 / Float(size)
        for p in 0..<planes { y[p] = Vector.sum(size, x + p * size) * scale }
    }

    public static func backward(_ dy: UnsafePointer<Float>, planes: Int, size: Int, into dx: UnsafeMutablePointer<Float>) {
        let scale = 1 / Float(size)
        for p in 0..<planes {
            (dx + p * size).update(repeating: dy[p] * scale, count: size)
        }
    }
}
