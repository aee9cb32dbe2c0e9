/// A dense Float32 tensor: a shape and a 64-byte-aligned buffer of `shape.product` floats, row-major
/// (for activations, NCHW: B batch, C channels, H rows, W columns).
///
/// `Tensor` has reference semantics on purpose: the engine allocates its buffers once (workspaces, states,
/// gradients) and reuses them at every time step, so nothing is copied behind the caller's back. Use `copy()` for
/// an independent tensor.
public final class Tensor: @unchecked Sendable {
    /// The extent of each dimension, outermost first.
    public let shape: [Int]
    /// The number of elements, the product of `shape`.
    public let count: Int
    /// The elements, contiguous, row-major.
    public let data: UnsafeMutablePointer<Float>

    /// A tensor of zeros.
    public init(shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in tensor shape \(shape)")
        self.shape = shape
        count = shape.reduce(1, *)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        data = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        data.initialize(repeating: 0, count: max(count, 1))
    }

    /// A tensor holding `values`, which must have `shape.product` elements.
    public convenience init(shape: [Int], values: [Float]) {
        self.init(shape: shape)
        precondition(values.count == count, "\(values.count) values for shape \(shape) (\(count) elements)")
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    deinit { data.deallocate() }

    /// The elements as a buffer (valid while the tensor lives).
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: data, count: count) }

    /// The elements as an array (a copy).
    public var values: [Float] { Array(buffer) }

    /// Element `i` of the flat buffer.
    public subscript(i: Int) -> Float {
        get { precondition(i >= 0 && i < count, "index \(i) outside \(shape)"); return data[i] }
        set { precondition(i >= 0 && i < count, "index \(i) outside \(shape)"); data[i] = newValue }
    }

    /// An independent tensor with the same shape and elements.
    public func copy() -> Tensor {
        let t = Tensor(shape: shape)
        t.data.update(from: data, count: count)
        return t
    }

    /// Copies `other`'s elements into this tensor; the element counts must agree.
    public func assign(_ other: Tensor) {
        precondition(other.count == count, "assigning \(other.shape) to \(shape)")
        data.update(from: other.data, count: count)
    }

    /// Sets every element to `value`.
    public func fill(_ value: Float) { data.update(repeating: value, count: count) }

    /// Sets every element to zero.
    public func zero() { fill(0) }

    /// The largest absolute element (0 for an empty tensor).
    public var maxMagnitude: Float {
        var m: Float = 0
        for i in 0..<count { m = max(m, abs(data[i])) }
        return m
    }
}
