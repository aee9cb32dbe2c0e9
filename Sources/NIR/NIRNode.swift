/// One node of a NIR graph, with the fields the reference package writes for it. Shapes have no batch dimension.
public enum NIRNode: Equatable, Sendable {
    case input(shape: [Int])
    case output(shape: [Int])
    case conv2d(Conv2d)
    /// y = W x + b, W [out, in].
    case affine(weight: NIRArray, bias: NIRArray)
    /// y = W x.
    case linear(weight: NIRArray)
    /// τ dv/dt = (v_leak − v) + R·I; a spike and v ← v_reset when v > v_threshold. Per-neuron arrays.
    case lif(LIFParameters)
    /// dv/dt = R·I; a spike and v ← v_reset when v > v_threshold.
    case integrateAndFire(r: NIRArray, threshold: NIRArray, reset: NIRArray)
    /// τ dv/dt = (v_leak − v) + R·I, no spikes.
    case leakyIntegrator(tau: NIRArray, r: NIRArray, leak: NIRArray)
    case sumPool2d(Pool2d)
    case avgPool2d(Pool2d)
    /// Flattens dimensions `startDimension…endDimension` of `inputShape`.
    case flatten(inputShape: [Int], startDimension: Int, endDimension: Int)
    /// y = scale ⊙ x.
    case scale(NIRArray)
    /// A node this module does not model (kept by type name so an importer can say what it refuses).
    case other(type: String)

    public struct Conv2d: Equatable, Sendable {
        /// The input map (H, W).
        public var inputShape: [Int]
        /// [out, in / groups, kH, kW].
        public var weight: NIRArray
        public var stride: [Int], padding: [Int], dilation: [Int]
        public var groups: Int
        /// [out].
        public var bias: NIRArray

        public init(inputShape: [Int], weight: NIRArray, stride: [Int], padding: [Int], dilation: [Int], groups: Int,
                    bias: NIRArray) {
            self.inputShape = inputShape; self.weight = weight; self.stride = stride; self.padding = padding
            self.dilation = dilation; self.groups = groups; self.bias = bias
        }
    }

    public struct LIFParameters: Equatable, Sendable {
        public var tau: NIRArray, r: NIRArray, leak: NIRArray, threshold: NIRArray, reset: NIRArray
        public init(tau: NIRArray, r: NIRArray, leak: NIRArray, threshold: NIRArray, reset: NIRArray) {
            self.tau = tau; self.r = r; self.leak = leak; self.threshold = threshold; self.reset = reset
        }
    }

    public struct Pool2d: Equatable, Sendable {
        public var kernel: [Int], stride: [Int], padding: [Int]
        public init(kernel: [Int], stride: [Int], padding: [Int]) {
            self.kernel = kernel; self.stride = stride; self.padding = padding
        }
    }

    /// The `type` string the file holds.
    public var typeName: String {
        switch self {
        case .input: "Input"
        case .output: "Output"
        case .conv2d: "Conv2d"
        case .affine: "Affine"
        case .linear: "Linear"
        case .lif: "LIF"
        case .integrateAndFire: "IF"
        case .leakyIntegrator: "LI"
        case .sumPool2d: "SumPool2d"
        case .avgPool2d: "AvgPool2d"
        case .flatten: "Flatten"
        case .scale: "Scale"
        case .other(let type): type
        }
    }
}
