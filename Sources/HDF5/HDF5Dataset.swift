/// The contents of one dataset: its shape ([] for a scalar) and its values in row-major order, as floats,
/// 64-bit integers or strings (whatever the stored width: HDF5 converts numbers on reading).
public struct HDF5Dataset: Equatable, Sendable {
    public enum Values: Equatable, Sendable {
        case floats([Float])
        case integers([Int64])
        case strings([String])
    }

    public var shape: [Int]
    public var values: Values

    public init(shape: [Int], values: Values) { self.shape = shape; self.values = values }

    /// The number of elements (1 for a scalar).
    public var count: Int { shape.reduce(1, *) }

    /// What kind of values, for messages.
    public var kindName: String {
        switch values {
        case .floats: "floats"
        case .integers: "integers"
        case .strings: "strings"
        }
    }
}
