import InputLimits

/// A spiking network described in a few words: the input shape and a list of layers, for example
/// `2x48x48:c64-c128-a2-c256-c256-a2-c512-c512-a2-c512-c512-gap-fc10`.
///
/// Words: `cN` a 3×3 convolution (padding 1, stride 1, scaled weight standardization, bias) to N channels followed
/// by LIF, ×`scale` and neuron dropout; `cpN` the same with a plain convolution (weight and bias, no
/// standardization, no gain: PyTorch's `Conv2d`, what `ottt import` makes of a foreign convolution); `a2` 2×2
/// average pooling; `gap` global average pooling; `fcN` the Linear classifier to N classes on the flattened
/// activations, which must be the last word; `fcnN` the same with each class's weights weight-normalised
/// (Ŵ = g·W/‖W‖, `WeightNormalization`: what a fresh network learns online with, README "Learning online").
public struct NetworkSpec: Sendable, Equatable, CustomStringConvertible {
    public enum Layer: Sendable, Equatable {
        /// A spiking convolution block; `standardized` false for a plain convolution (`cpN`).
        case conv(channels: Int, standardized: Bool = true)
        case averagePool2
        case globalAveragePool
        /// The classifier; `normalized` for weight-normalised rows (`fcnN`).
        case linear(outputs: Int, normalized: Bool = false)
    }

    /// One sample's input, [C, H, W].
    public var input: [Int]
    public var layers: [Layer]
    /// The neuron after every convolution.
    public var neuron: LIF
    /// The factor applied to spikes (and traces) after every LIF layer (2.74 in OTTT's VGG).
    public var scale: Float
    /// Neuron dropout probability after every spiking layer (a mask per sample, drawn at the first step).
    public var dropout: Float

    public init(input: [Int], layers: [Layer], neuron: LIF = LIF(), scale: Float = 2.74, dropout: Float = 0) {
        self.input = input; self.layers = layers; self.neuron = neuron; self.scale = scale; self.dropout = dropout
    }

    /// Parses `CxHxW:words` (see the type's documentation).
    public init(parsing text: String, neuron: LIF = LIF(), scale: Float = 2.74, dropout: Float = 0) throws(NetworkSpecError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw NetworkSpecError(text: text, problem: "expected CxHxW:layers, for example 2x32x32:c32-a2-c64-a2-fc10") }
        let dims = parts[0].split(separator: "x").map { Int($0) }
        guard dims.count == 3, let c = dims[0], let h = dims[1], let w = dims[2], c > 0, h > 0, w > 0 else {
            throw NetworkSpecError(text: text, problem: "input '\(parts[0])' is not CxHxW with positive extents")
        }
        var layers: [Layer] = []
        for word in parts[1].split(separator: "-", omittingEmptySubsequences: false) {
            if word == "a2" { layers.append(.averagePool2) }
            else if word == "gap" { layers.append(.globalAveragePool) }
            else if word.hasPrefix("fcn"), let n = Int(word.dropFirst(3)), n > 0 {
                layers.append(.linear(outputs: n, normalized: true))
            }
            else if word.hasPrefix("fc"), let n = Int(word.dropFirst(2)), n > 0 { layers.append(.linear(outputs: n)) }
            else if word.hasPrefix("cp"), let n = Int(word.dropFirst(2)), n > 0 { layers.append(.conv(channels: n, standardized: false)) }
            else if word.hasPrefix("c"), let n = Int(word.dropFirst(1)), n > 0 { layers.append(.conv(channels: n)) }
            else { throw NetworkSpecError(text: text, problem: "unknown layer '\(word)' (known: cN, cpN, a2, gap, fcN, fcnN)") }
        }
        self.init(input: [c, h, w], layers: layers, neuron: neuron, scale: scale, dropout: dropout)
        try validate()
    }

    /// Checks the shapes through the network: one `fcN` at the end, pools on even sizes, no layer after `gap`
    /// but the classifier.
    public func validate() throws(NetworkSpecError) {
        guard input.count == 3, input.allSatisfy({ $0 > 0 }) else { throw NetworkSpecError(text: description, problem: "input \(input) is not [C, H, W]") }
        guard case .linear? = layers.last else { throw NetworkSpecError(text: description, problem: "the last layer must be fcN") }
        guard (dropout >= 0 && dropout < 1) else { throw NetworkSpecError(text: description, problem: "dropout \(dropout) is not in [0, 1)") }
        var (h, w, pooled) = (input[1], input[2], false)
        // Sizes come from words a file or a flag gives: every product is checked and bounded by `Limits` before
        // the network is built (`c4611686018427387904`, `2x4096x4096:c1024`).
        let limits = Limits.current
        var (c, total) = (input[0], 0)
        func count(_ factors: [Int], _ what: String) throws(NetworkSpecError) {
            let n = Limits.product(factors)
            do {
                try limits.check(.tensorElements, n, what)
                total = total.addingReportingOverflow(n ?? .max).partialValue
                try limits.check(.networkElements, total >= 0 ? total : nil, "the network")
            } catch { throw NetworkSpecError(text: description, problem: "\(error)") }
        }
        try count(input, "the input \(input)")
        for (i, layer) in layers.enumerated() {
            switch layer {
            case .conv(let n, _):
                if pooled { throw NetworkSpecError(text: description, problem: "convolution after gap") }
                try count([n, c, 3, 3], "the weights of c\(n)")
                try count([n, h, w], "the activations of c\(n) at \(h)×\(w)")
                c = n
            case .linear(let n, let normalized):
                // A normalised classifier also keeps Ŵ and dŴ, each the size of W.
                try count([n, pooled ? c : (Limits.product([c, h, w]) ?? .max), normalized ? 3 : 1],
                          "the weights of \(normalized ? "fcn" : "fc")\(n)")
                if i != layers.count - 1 { throw NetworkSpecError(text: description, problem: "fcN must be the last layer") }
            case .averagePool2:
                if pooled { throw NetworkSpecError(text: description, problem: "pooling after gap") }
                guard h >= 2, w >= 2 else { throw NetworkSpecError(text: description, problem: "a2 on a \(h)×\(w) map") }
                h /= 2; w /= 2
            case .globalAveragePool:
                if pooled { throw NetworkSpecError(text: description, problem: "gap twice") }
                pooled = true
            }
        }
    }

    /// The words form, `CxHxW:c…-fcN`.
    public var description: String {
        let words = layers.map { layer -> String in
            switch layer {
            case .conv(let n, let standardized): standardized ? "c\(n)" : "cp\(n)"
            case .averagePool2: "a2"
            case .globalAveragePool: "gap"
            case .linear(let n, let normalized): normalized ? "fcn\(n)" : "fc\(n)"
            }
        }
        return "\(input.map(String.init).joined(separator: "x")):\(words.joined(separator: "-"))"
    }

    /// The number of classes of the classifier.
    public var classes: Int {
        if case .linear(let n, _)? = layers.last { return n }
        return 0
    }

    /// Whether the classifier is weight-normalised (`fcnN`).
    public var hasNormalizedClassifier: Bool {
        if case .linear(_, true)? = layers.last { return true }
        return false
    }

    /// The same network with `classes` outputs (nil: as many as now) and the classifier `normalized` or plain
    /// (nil: as it is). A spec without a classifier is returned unchanged.
    public func withClassifier(classes: Int? = nil, normalized: Bool? = nil) -> NetworkSpec {
        guard case .linear(let n, let isNormalized)? = layers.last else { return self }
        var s = self
        s.layers[s.layers.count - 1] = .linear(outputs: classes ?? n, normalized: normalized ?? isNormalized)
        return s
    }

    // MARK: Presets

    /// OTTT's `online_spiking_vgg11_ws` (cfg 'A' without the last pool, then global average pooling and the
    /// classifier: `fc_hw = 1`).
    private static func vgg11(classes: Int) -> [Layer] {
        [.conv(channels: 64), .conv(channels: 128), .averagePool2, .conv(channels: 256), .conv(channels: 256),
         .averagePool2, .conv(channels: 512), .conv(channels: 512), .averagePool2, .conv(channels: 512),
         .conv(channels: 512), .globalAveragePool, .linear(outputs: classes)]
    }

    /// The presets' networks, the one list of presets (Training's `Preset` adds their training values):
    /// `paper-cifar10dvs` (OTTT's VGG-11 on 2×48×48, dropout 0.1), `paper-dvsgesture` (the same VGG-11 on
    /// 2×128×128, 11 classes, no dropout), `small32` and `small48` (two convolutions, for
    /// live use; shapes as in docs/PEERS.md).
    private static let presets: [(name: String, spec: NetworkSpec)] = [
        ("paper-cifar10dvs", NetworkSpec(input: [2, 48, 48], layers: vgg11(classes: 10), dropout: 0.1)),
        ("paper-dvsgesture", NetworkSpec(input: [2, 128, 128], layers: vgg11(classes: 11), dropout: 0)),
        ("small32", NetworkSpec(input: [2, 32, 32], layers: [.conv(channels: 32), .averagePool2, .conv(channels: 64),
                                                             .averagePool2, .linear(outputs: 10)])),
        ("small48", NetworkSpec(input: [2, 48, 48], layers: [.conv(channels: 32), .averagePool2, .conv(channels: 64),
                                                             .averagePool2, .linear(outputs: 10)])),
    ]

    /// The network of the preset called `name`, or nil.
    public static func preset(_ name: String) -> NetworkSpec? {
        presets.first { $0.name == name }?.spec
    }

    /// The preset names, in the order `preset(_:)` documents them.
    public static var presetNames: [String] { presets.map(\.name) }
}

/// A network description that cannot be built.
public struct NetworkSpecError: Error, CustomStringConvertible, Equatable {
    public var text: String
    public var problem: String
    public var description: String { "bad network '\(text)': \(problem)" }
}
