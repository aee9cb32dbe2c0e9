import Pictures

/// Resampling one image into another through a map of coordinates: the renderer's inner loop.
extension GrayImage {
    /// Fills `out` with this image seen through `map`: out(x, y) = self(map(x, y)), bilinear, with edge pixels
    /// repeated outside the image, or with the image repeated periodically when `wrapped`.
    ///
    /// A pure translation samples every pixel at the same sub-pixel phase, so its four weights are computed once.
    public func resample(into out: inout GrayImage, map: Affine2, wrapped: Bool) {
        let w = width, h = height, ow = out.width, oh = out.height
        func index(_ i: Int, _ n: Int) -> Int {
            wrapped ? GrayImage.wrap(i, n) : min(max(i, 0), n - 1)
        }
        pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                if map.a == 1 && map.b == 0 && map.c == 0 && map.d == 1 {
                    let fx = map.tx.rounded(.down), fy = map.ty.rounded(.down)
                    let ax = Float(map.tx - fx), ay = Float(map.ty - fy)
                    let ix = Int(fx), iy = Int(fy)
                    let columnsA = (0..<ow).map { index($0 + ix, w) }, columnsB = (0..<ow).map { index($0 + ix + 1, w) }
                    for y in 0..<oh {
                        let rowA = index(y + iy, h) * w, rowB = index(y + iy + 1, h) * w
                        for x in 0..<ow {
                            let top = src[rowA + columnsA[x]] * (1 - ax) + src[rowA + columnsB[x]] * ax
                            let bottom = src[rowB + columnsA[x]] * (1 - ax) + src[rowB + columnsB[x]] * ax
                            dst[y * ow + x] = top * (1 - ay) + bottom * ay
                        }
                    }
                } else {
                    for y in 0..<oh {
                        for x in 0..<ow {
                            let p = map.apply(Point2(Double(x), Double(y)))
                            let fx = p.x.rounded(.down), fy = p.y.rounded(.down)
                            let ax = Float(p.x - fx), ay = Float(p.y - fy)
                            let xa = index(Int(fx), w), xb = index(Int(fx) + 1, w)
                            let rowA = index(Int(fy), h) * w, rowB = index(Int(fy) + 1, h) * w
                            let top = src[rowA + xa] * (1 - ax) + src[rowA + xb] * ax
                            let bottom = src[rowB + xa] * (1 - ax) + src[rowB + xb] * ax
                            dst[y * ow + x] = top * (1 - ay) + bottom * ay
                        }
                    }
                }
            }
        }
    }
}
