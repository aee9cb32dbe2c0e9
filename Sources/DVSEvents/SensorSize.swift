/// The pixel array of a sensor: `width` columns (x) by `height` rows (y).
public struct SensorSize: Hashable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        precondition(width > 0 && height > 0, "a sensor has at least one pixel, got \(width)×\(height)")
        self.width = width
        self.height = height
    }

    public var pixelCount: Int { width * height }

    /// Whether (x, y) is on the pixel array.
    @inlinable
    public func contains(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height
    }

    public var description: String { "\(width)×\(height)" }

    public static let dvs128 = SensorSize(width: 128, height: 128)
    public static let davis240 = SensorSize(width: 240, height: 180)
    public static let davis346 = SensorSize(width: 346, height: 260)
    public static let dvxplorerLite = SensorSize(width: 320, height: 240)
    public static let dvxplorer = SensorSize(width: 640, height: 480)
    public static let nmnist = SensorSize(width: 34, height: 34)
    public static let gen4 = SensorSize(width: 1280, height: 720)

    /// Common sensors a file without geometry is likely to come from, smallest first: what `inferred` rounds up to.
    public static let known: [(name: String, size: SensorSize)] = [
        ("DVS128", .dvs128), ("DAVIS240", .davis240), ("DAVIS346", .davis346),
        ("Prophesee Gen3 / DVXplorer", .dvxplorer), ("Prophesee Gen4", .gen4),
    ]

    /// The sensor events spanning `width` × `height` (max x + 1, max y + 1) most likely came from: the smallest
    /// known sensor holding them (its name given), else exactly that extent (name nil). Nil without events.
    public static func inferred(width: Int, height: Int) -> (size: SensorSize, name: String?)? {
        guard width > 0 && height > 0 else { return nil }
        if let k = known.first(where: { $0.size.width >= width && $0.size.height >= height }) { return (k.size, k.name) }
        return (SensorSize(width: width, height: height), nil)
    }
}
