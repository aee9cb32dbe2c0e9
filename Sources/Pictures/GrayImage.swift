/// A grey-level image of linear intensities in [0, 1], row-major: `pixels[y * width + x]`.
///
/// The picture readers (`PictureFile`) produce these; the simulator's renderer draws scenes into them and its pixel
/// model reads them. Pixel centres sit at integer coordinates, so (0, 0) is the centre of the top-left pixel.
public struct GrayImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Intensities, H×W row-major.
    public var pixels: [Float]

    /// An image filled with `value`.
    public init(width: Int, height: Int, value: Float = 0) {
        precondition(width > 0 && height > 0, "an image has at least one pixel, got \(width)×\(height)")
        self.width = width
        self.height = height
        pixels = [Float](repeating: value, count: width * height)
    }

    /// An image from row-major intensities.
    public init(width: Int, height: Int, pixels: [Float]) {
        precondition(width > 0 && height > 0, "an image has at least one pixel, got \(width)×\(height)")
        precondition(pixels.count == width * height,
                     "\(width)×\(height) image needs \(width * height) intensities, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public subscript(x: Int, y: Int) -> Float {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    /// Bilinear sample at (x, y); outside the image the nearest edge pixel is used.
    @inlinable
    public func sample(x: Double, y: Double) -> Float {
        let fx = x.rounded(.down), fy = y.rounded(.down)
        let ax = Float(x - fx), ay = Float(y - fy)
        let x0 = Int(fx), y0 = Int(fy)
        let xa = min(max(x0, 0), width - 1), xb = min(max(x0 + 1, 0), width - 1)
        let ya = min(max(y0, 0), height - 1), yb = min(max(y0 + 1, 0), height - 1)
        return blend(xa, xb, ya, yb, ax, ay)
    }

    /// Bilinear sample at (x, y) of the image repeated periodically in both directions.
    @inlinable
    public func sampleWrapped(x: Double, y: Double) -> Float {
        let fx = x.rounded(.down), fy = y.rounded(.down)
        let ax = Float(x - fx), ay = Float(y - fy)
        let xa = GrayImage.wrap(Int(fx), width), ya = GrayImage.wrap(Int(fy), height)
        let xb = xa + 1 == width ? 0 : xa + 1
        let yb = ya + 1 == height ? 0 : ya + 1
        return blend(xa, xb, ya, yb, ax, ay)
    }

    @inlinable
    func blend(_ xa: Int, _ xb: Int, _ ya: Int, _ yb: Int, _ ax: Float, _ ay: Float) -> Float {
        pixels.withUnsafeBufferPointer { p in
            let top = p[ya * width + xa] * (1 - ax) + p[ya * width + xb] * ax
            let bottom = p[yb * width + xa] * (1 - ax) + p[yb * width + xb] * ax
            return top * (1 - ay) + bottom * ay
        }
    }

    /// `i` taken modulo `n` into 0..<n (also for negative `i`): the column or row of a periodically repeated image.
    @inlinable
    public static func wrap(_ i: Int, _ n: Int) -> Int {
        let r = i % n
        return r < 0 ? r + n : r
    }

    /// This image scaled to `width`×`height` by averaging a 4×4 grid of bilinear taps per output pixel
    /// (an area filter when shrinking, smooth when enlarging).
    public func resized(width w: Int, height h: Int) -> GrayImage {
        var out = GrayImage(width: w, height: h)
        let sx = Double(width) / Double(w), sy = Double(height) / Double(h)
        let taps = 4
        for y in 0..<h {
            for x in 0..<w {
                var sum: Float = 0
                for j in 0..<taps {
                    for i in 0..<taps {
                        // Source coordinates of sub-sample (i, j) of output pixel (x, y).
                        let u = (Double(x) + (Double(i) + 0.5) / Double(taps)) * sx - 0.5
                        let v = (Double(y) + (Double(j) + 0.5) / Double(taps)) * sy - 0.5
                        sum += sample(x: u, y: v)
                    }
                }
                out[x, y] = sum / Float(taps * taps)
            }
        }
        return out
    }

    /// The mean intensity.
    public var mean: Float { pixels.reduce(0, +) / Float(pixels.count) }
}
