import SNN

/// Which network: `--model`, `--net`, `--seed`, `--classes`, the same words on `live`, `replay` and `demo`.
struct NetworkOptions {
    static let usage = """
      --model CKPT          start from a checkpoint (`ottt train`, a demo, or an earlier session's `--save`)
      --net NAME|WORDS      a preset (small32, small48, paper-cifar10dvs) or words like 2x32x32:c32-a2-c64-a2-fc10
                            when no --model is given (default small32)
      --seed N              the initial weights of a fresh network (default 1)
      --classes N           outputs of a fresh network: room for classes not seen yet, taught on the fly
                            (default: the --net's, 10 for the presets)
    """

    var model: String?
    var net: String
    var seed: UInt64 = 1
    var classes: Int?

    init(_ a: inout Arguments, net defaultNet: String = "small32") throws {
        model = try a.option("model")
        net = try a.option("net") ?? defaultNet
        seed = try a.option("seed", default: seed) { UInt64($0) }
        classes = try a.positiveInt("classes")
        if model != nil, classes != nil { throw UsageError("--classes sizes a fresh network; a --model has its own") }
    }

    /// Whether `--net` names a preset (or was not given) rather than words.
    var isPreset: Bool { NetworkSpec.preset(net) != nil }

    /// The network of a fresh learner: `--net`, with `--classes` outputs when given.
    func spec() throws -> NetworkSpec {
        var spec: NetworkSpec
        if let preset = NetworkSpec.preset(net) { spec = preset } else {
            do { spec = try NetworkSpec(parsing: net) } catch {
                throw UsageError("--net: '\(net)' is neither a preset (\(NetworkSpec.presetNames.joined(separator: ", "))) nor valid words: \(error.problem)")
            }
        }
        if let classes {
            guard case .linear? = spec.layers.last else { throw UsageError("--classes: the network has no classifier") }
            spec = spec.withClassifier(classes: classes)
        }
        return spec
    }
}
