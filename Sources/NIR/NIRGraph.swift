/// A NIR graph (the Neuromorphic Intermediate Representation, file format 1.0.x): named nodes, directed edges
/// between them, and free-form metadata strings. Node order carries no meaning; the edges do.
public struct NIRGraph: Equatable, Sendable {
    /// An edge `source → target`.
    public struct Edge: Equatable, Hashable, Sendable {
        public var source: String
        public var target: String
        public init(_ source: String, _ target: String) { self.source = source; self.target = target }
    }

    public var nodes: [String: NIRNode]
    public var edges: [Edge]
    /// The graph's `metadata/` datasets, as strings.
    public var metadata: [String: String]
    /// The file format version written in `/version`.
    public var version: String

    /// The version of the reference package whose layout this module writes.
    public static let formatVersion = "1.0.8"

    public init(nodes: [String: NIRNode], edges: [Edge], metadata: [String: String] = [:],
                version: String = NIRGraph.formatVersion) {
        self.nodes = nodes; self.edges = edges; self.metadata = metadata; self.version = version
    }
}

/// A float array of a node, row-major, with its shape ([] for a scalar).
public struct NIRArray: Equatable, Sendable {
    public var shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "\(values.count) values for shape \(shape)")
        self.shape = shape; self.values = values
    }

    /// `value` repeated over `shape`.
    public init(shape: [Int], repeating value: Float) {
        self.init(shape: shape, values: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// The one value every element has, or nil when they differ (or there are none).
    public var uniformValue: Float? {
        guard let first = values.first, values.allSatisfy({ $0 == first }) else { return nil }
        return first
    }
}
