/// Where training samples come from: the recordings of an event dataset (`DatasetKind`, the one list of them) or
/// synthetic tensors. Written in a training configuration as one word (`cifar10dvs`, `dvsgesture`, `nmnist`,
/// `folders`, `synthetic`); `gesture` and `folder` are read as well (older checkpoints and `ottt train` flags).
public enum SampleSource: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    case events(DatasetKind)
    case synthetic

    /// Every source, events first.
    public static let all: [SampleSource] = DatasetKind.allCases.map(SampleSource.events) + [.synthetic]

    /// The source named `name` (case-insensitive), nil when there is none.
    public init?(name: String) {
        switch name.lowercased() {
        case "synthetic": self = .synthetic
        case "gesture": self = .events(.dvsgesture)
        case "folder": self = .events(.folders)
        case let other:
            guard let kind = DatasetKind(rawValue: other) else { return nil }
            self = .events(kind)
        }
    }

    /// The name, as written in configurations.
    public var name: String {
        switch self {
        case .events(let kind): kind.rawValue
        case .synthetic: "synthetic"
        }
    }

    public var description: String { name }

    /// The dataset kind, nil for synthetic samples.
    public var datasetKind: DatasetKind? {
        if case .events(let kind) = self { return kind }
        return nil
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let source = SampleSource(name: name) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription:
                "'\(name)' is not one of \(SampleSource.all.map(\.name).joined(separator: ", "))")
        }
        self = source
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
