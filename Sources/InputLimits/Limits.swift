import Synchronization

/// The one policy on how large anything read from a file or a flag may make the program: the sensor a header
/// declares, a tensor in a safetensors file, a network a spec describes, the bytes of frames made at once, the
/// class a label names and the length of a text line. Every reader and allocator that takes a size from input
/// checks it here first, so that a hostile or damaged file costs a clear error instead of an unbounded allocation.
///
/// Why a module of its own: both halves of the package read sizes from input (DVSEvents ← EventFormats,
/// EventBinning for sensors and frames; Tensors ← SNN ← Training for tensors and networks) and neither may import
/// the other, so the policy sits below both. It imports nothing but the standard library.
///
/// The defaults fit every real camera (the largest is 1280×720), the paper's networks and a 1 GiB process; `ottt`
/// raises any of them with the flag each limit names (`--max-sensor`, …), given before or after the command.
public struct Limits: Sendable, Equatable {
    /// Most pixels (width × height) a sensor may have; each side at most 65,535.
    public var sensorPixels: Int = 4096 * 4096
    /// Most elements in one tensor read from a file or sized by a network (a checkpoint's state included).
    public var tensorElements: Int = 1 << 28
    /// Most parameters plus per-sample activations a network may have.
    public var networkElements: Int = 1 << 28
    /// Most bytes of frames made at once (by `frames`, a frame cache, a batch of samples).
    public var frameBytes: Int = 1 << 29
    /// Most classes a label may name (a class index is below this).
    public var labelClasses: Int = 100_000
    /// Longest text line (label files, teaching scripts, headers) in bytes.
    public var lineBytes: Int = 1 << 20

    public init() {}

    private static let shared = Mutex(Limits())

    /// The limits in force in this process (set once by the command line, read everywhere).
    public static var current: Limits {
        get { shared.withLock { $0 } }
        set { shared.withLock { $0 = newValue } }
    }

    /// One of the limits, with the flag that raises it.
    public enum Kind: String, Sendable, CaseIterable {
        case sensorPixels = "max-sensor"
        case tensorElements = "max-tensor"
        case networkElements = "max-network"
        case frameBytes = "max-frame-bytes"
        case labelClasses = "max-classes"
        case lineBytes = "max-line"

        /// What it bounds, for messages and usage.
        public var what: String {
            switch self {
            case .sensorPixels: "sensor pixels"
            case .tensorElements: "tensor elements"
            case .networkElements: "network parameters and activations per sample"
            case .frameBytes: "bytes of frames at once"
            case .labelClasses: "classes in a label"
            case .lineBytes: "bytes in a text line"
            }
        }
        /// The command-line flag that raises it.
        public var flag: String { "--\(rawValue)" }
    }

    public subscript(kind: Kind) -> Int {
        get {
            switch kind {
            case .sensorPixels: sensorPixels
            case .tensorElements: tensorElements
            case .networkElements: networkElements
            case .frameBytes: frameBytes
            case .labelClasses: labelClasses
            case .lineBytes: lineBytes
            }
        }
        set {
            switch kind {
            case .sensorPixels: sensorPixels = newValue
            case .tensorElements: tensorElements = newValue
            case .networkElements: networkElements = newValue
            case .frameBytes: frameBytes = newValue
            case .labelClasses: labelClasses = newValue
            case .lineBytes: lineBytes = newValue
            }
        }
    }

    /// Throws unless `amount` (nil: too large to count) is within the `kind` limit; `what` names the thing measured.
    public func check(_ kind: Kind, _ amount: Int?, _ what: @autoclosure () -> String) throws(LimitError) {
        let limit = self[kind]
        guard let amount, amount >= 0, amount <= limit else {
            throw LimitError(kind: kind, limit: limit, amount: amount, what: what())
        }
    }

    /// The product of `factors` (each ≥ 0), or nil when it overflows: sizes from input multiply through this.
    public static func product(_ factors: some Sequence<Int>) -> Int? {
        var p = 1
        for f in factors {
            guard f >= 0 else { return nil }
            let (r, o) = p.multipliedReportingOverflow(by: f)
            if o { return nil }
            p = r
        }
        return p
    }

    /// Checks a sensor of `width` × `height` declared by `source` (a file, a flag).
    public func checkSensor(width: Int, height: Int, source: @autoclosure () -> String) throws(LimitError) {
        guard width <= 65_535, height <= 65_535 else {
            throw LimitError(kind: .sensorPixels, limit: sensorPixels, amount: nil,
                             what: "a \(width)×\(height) sensor (\(source()))")
        }
        try check(.sensorPixels, Limits.product([width, height]), "a \(width)×\(height) sensor (\(source()))")
    }

    /// Checks `count` frames of 2 × `height` × `width` Floats against the frame budget.
    public func checkFrames(count: Int, height: Int, width: Int, what: @autoclosure () -> String) throws(LimitError) {
        try check(.frameBytes, Limits.product([count, 2, height, width, 4]),
                  "\(count) frames of 2×\(height)×\(width) (\(what()))")
    }
}

/// A size from input beyond its limit: names the limit, what asked for it and the flag that raises it.
public struct LimitError: Error, Sendable, Equatable, CustomStringConvertible {
    public let kind: Limits.Kind
    public let limit: Int
    /// The amount asked for, nil when it does not even fit in 64 bits.
    public let amount: Int?
    public let what: String

    public init(kind: Limits.Kind, limit: Int, amount: Int?, what: String) {
        self.kind = kind; self.limit = limit; self.amount = amount; self.what = what
    }

    public var description: String {
        let asked = amount.map { $0 < 0 ? "a negative size" : "\($0)" } ?? "more than 2^63"
        return "\(what) needs \(asked) \(kind.what), over the limit of \(limit) (raise it with \(kind.flag) N)"
    }
}
