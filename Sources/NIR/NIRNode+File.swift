import HDF5

extension NIRNode {
    /// Writes the node's `type` and fields into its group, exactly the fields `nir.read` expects for the type.
    func write(into g: HDF5Group, compress: Bool) throws(HDF5Error) {
        func array(_ name: String, _ a: NIRArray) throws(HDF5Error) {
            try g.write(name, floats: a.values, shape: a.shape, compress: compress)
        }
        func ints(_ name: String, _ v: [Int]) throws(HDF5Error) { try g.write(name, integers: v.map(Int64.init), shape: [v.count]) }
        func int(_ name: String, _ v: Int) throws(HDF5Error) { try g.write(name, integers: [Int64(v)], shape: []) }
        try g.write("type", string: typeName)
        switch self {
        case .input(let shape), .output(let shape):
            try ints("shape", shape)
        case .conv2d(let c):
            try ints("input_shape", c.inputShape); try array("weight", c.weight)
            try ints("stride", c.stride); try ints("padding", c.padding); try ints("dilation", c.dilation)
            try int("groups", c.groups); try array("bias", c.bias)
        case let .affine(weight, bias):
            try array("weight", weight); try array("bias", bias)
        case .linear(let weight):
            try array("weight", weight)
        case .lif(let p):
            try array("tau", p.tau); try array("r", p.r); try array("v_leak", p.leak)
            try array("v_threshold", p.threshold); try array("v_reset", p.reset)
        case let .integrateAndFire(r, threshold, reset):
            try array("r", r); try array("v_threshold", threshold); try array("v_reset", reset)
        case let .leakyIntegrator(tau, r, leak):
            try array("tau", tau); try array("r", r); try array("v_leak", leak)
        case .sumPool2d(let p), .avgPool2d(let p):
            try ints("kernel_size", p.kernel); try ints("stride", p.stride); try ints("padding", p.padding)
        case let .flatten(shape, start, end):
            try ints("input_type", shape); try int("start_dim", start); try int("end_dim", end)
        case .scale(let s):
            try array("scale", s)
        case .other(let type):
            throw HDF5Error(file: g.file.path, path: g.path, problem: .malformed("cannot write a node of type \(type)"))
        }
    }
}

/// Reads one node group's fields, with errors that name the node and the field.
struct NodeReader {
    let group: HDF5Group
    let name: String
    let file: String

    func fail(_ problem: String) -> NIRError { .badNode(file: file, node: name, problem: problem) }

    func node() throws -> NIRNode {
        let type = try NodeReader.string(group, "type")
        switch type {
        case "Input": return .input(shape: try ints("shape"))
        case "Output": return .output(shape: try ints("shape"))
        case "Conv2d":
            return .conv2d(.init(inputShape: try ints("input_shape"), weight: try array("weight"),
                                 stride: try pair("stride"), padding: try pair("padding"), dilation: try pair("dilation"),
                                 groups: try int("groups"), bias: try array("bias")))
        case "Affine": return .affine(weight: try array("weight"), bias: try array("bias"))
        case "Linear": return .linear(weight: try array("weight"))
        case "LIF":
            let threshold = try array("v_threshold")
            return .lif(.init(tau: try array("tau"), r: try array("r"), leak: try array("v_leak"), threshold: threshold,
                              reset: try optionalArray("v_reset") ?? NIRArray(shape: threshold.shape, repeating: 0)))
        case "IF":
            let threshold = try array("v_threshold")
            return .integrateAndFire(r: try array("r"), threshold: threshold,
                                     reset: try optionalArray("v_reset") ?? NIRArray(shape: threshold.shape, repeating: 0))
        case "LI": return .leakyIntegrator(tau: try array("tau"), r: try array("r"), leak: try array("v_leak"))
        case "SumPool2d", "AvgPool2d":
            let p = NIRNode.Pool2d(kernel: try pair("kernel_size"), stride: try pair("stride"), padding: try pair("padding"))
            return type == "SumPool2d" ? .sumPool2d(p) : .avgPool2d(p)
        case "Flatten":
            return .flatten(inputShape: try group.kind(of: "input_type") == .dataset ? try ints("input_type") : [],
                            startDimension: try int("start_dim"), endDimension: try int("end_dim"))
        case "Scale": return .scale(try array("scale"))
        default: return .other(type: type)
        }
    }

    static func text(_ d: HDF5Dataset) -> String {
        switch d.values {
        case .strings(let s): s.joined(separator: ",")
        case .floats(let f): f.map { "\($0)" }.joined(separator: ",")
        case .integers(let i): i.map { "\($0)" }.joined(separator: ",")
        }
    }

    static func string(_ g: HDF5Group, _ field: String) throws -> String {
        let d = try g.read(field)
        guard case .strings(let s) = d.values, s.count == 1 else {
            throw HDF5Error(file: g.file.path, path: g.pathOf(field), problem: .wrongType(expected: "one string", found: "\(d.count) \(d.kindName)"))
        }
        return s[0]
    }

    func array(_ field: String) throws -> NIRArray {
        let d = try group.read(field)
        switch d.values {
        case .floats(let v): return NIRArray(shape: d.shape, values: v)
        case .integers(let v): return NIRArray(shape: d.shape, values: v.map { Float($0) })
        case .strings: throw fail("field '\(field)' holds strings, expected numbers")
        }
    }

    func optionalArray(_ field: String) throws -> NIRArray? {
        try group.kind(of: field) == .absent ? nil : try array(field)
    }

    func ints(_ field: String) throws -> [Int] {
        let d = try group.read(field)
        guard case .integers(let v) = d.values else { throw fail("field '\(field)' holds \(d.kindName), expected integers") }
        return v.map { Int(clamping: $0) }
    }

    func int(_ field: String) throws -> Int {
        let v = try ints(field)
        guard v.count == 1 else { throw fail("field '\(field)' has \(v.count) values, expected one") }
        return v[0]
    }

    /// Two integers (a scalar is repeated: PyTorch's `stride=1`).
    func pair(_ field: String) throws -> [Int] {
        let v = try ints(field)
        if v.count == 1 { return [v[0], v[0]] }
        guard v.count == 2 else { throw fail("field '\(field)' has \(v.count) values, expected 2") }
        return v
    }
}
