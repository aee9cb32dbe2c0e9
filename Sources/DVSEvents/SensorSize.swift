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
}
