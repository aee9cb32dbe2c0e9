import DVSEvents

/// The pixel array as the camera reports it (DVS module 1: columns, rows, orientation bits) and the mapping from
/// its raw addresses to output coordinates.
public struct SensorGeometry: Hashable, Sendable {
    /// Columns and rows as addressed on the wire, before any swap.
    public var rawWidth: Int
    public var rawHeight: Int
    /// Orientation bit 2: the sensor is mounted rotated, X and Y are exchanged.
    public var swapXY: Bool
    /// Orientation bit 1: X counts from the right.
    public var flipX: Bool
    /// Orientation bit 0: Y counts from the bottom.
    public var flipY: Bool

    public init(rawWidth: Int, rawHeight: Int, swapXY: Bool = false, flipX: Bool = false, flipY: Bool = false) {
        precondition(rawWidth > 0 && rawHeight > 0 && rawWidth <= 4096 && rawHeight <= 4096,
                     "a sensor has 1…4096 columns and rows, got \(rawWidth)×\(rawHeight)")
        self.rawWidth = rawWidth
        self.rawHeight = rawHeight
        self.swapXY = swapXY
        self.flipX = flipX
        self.flipY = flipY
    }

    /// From the DVS orientation register: bit 2 swap, bit 1 flip X, bit 0 flip Y.
    init(rawWidth: Int, rawHeight: Int, orientation: UInt32) {
        self.init(rawWidth: rawWidth, rawHeight: rawHeight, swapXY: orientation & 4 != 0,
                  flipX: orientation & 2 != 0, flipY: orientation & 1 != 0)
    }

    /// The output pixel array.
    public var sensor: SensorSize {
        swapXY ? SensorSize(width: rawHeight, height: rawWidth) : SensorSize(width: rawWidth, height: rawHeight)
    }

    /// Output coordinates of raw address (x, y), which must lie on the raw array.
    @inlinable
    public func map(x: Int, y: Int) -> (x: UInt16, y: UInt16) {
        let fx = flipX ? rawWidth - 1 - x : x
        let fy = flipY ? rawHeight - 1 - y : y
        return swapXY ? (UInt16(fy), UInt16(fx)) : (UInt16(fx), UInt16(fy))
    }
}
