import HDF5

/// Why a NIR file cannot be read or written, or a graph cannot be mapped to or from the engine.
public enum NIRError: Error, CustomStringConvertible, Sendable {
    /// The HDF5 layer failed (file and path inside it named).
    case file(HDF5Error)
    /// A node group that is not a valid node of its type.
    case badNode(file: String, node: String, problem: String)
    /// The graph as a whole is not a NIR graph this reader understands.
    case badGraph(file: String, problem: String)
    /// Import: a node the engine cannot represent, and why.
    case unmappable(node: String, reason: String)
    /// Export: a network the mapping does not cover.
    case unexportable(String)

    public var description: String {
        switch self {
        case .file(let e): "\(e)"
        case let .badNode(file, node, problem): "\(file): node '\(node)': \(problem)"
        case let .badGraph(file, problem): "\(file): \(problem)"
        case let .unmappable(node, reason): "cannot import node '\(node)': \(reason)"
        case .unexportable(let why): "cannot export: \(why)"
        }
    }
}
