import Foundation
import Testing
import TestSupport
import NIR
import SNN
import Tensors

/// Networks with random weights (biases and gains too, so that every parameter matters) and random binary frames.
enum RoundTripFixtures {
    /// The presets, and a network mixing plain (`cpN`) and weight-standardized convolutions. `paper-dvsgesture` is
    /// `paper-cifar10dvs`'s layers on a 128×128 input (5 M neurons: minutes a case in a debug build), so the round
    /// trip runs on the 48×48 one; the reference reader checks the Gesture export too. Measured once on it (seed 1,
    /// T = 3): with Scale/AvgPool2d kept bit for bit; folded, 1,806 spikes flip at the threshold (the scale
    /// multiplied into the weights rounds differently) and the largest output differs by 0.0066.
    static let specNames = NetworkSpec.presetNames.filter { $0 != "paper-dvsgesture" } + ["mixed"]

    static func spec(_ name: String) throws -> NetworkSpec {
        if let preset = NetworkSpec.preset(name) { return preset }
        return try NetworkSpec(parsing: "2x16x16:cp8-a2-c16-cp16-gap-fc5", dropout: 0.1)
    }

    static func network(_ spec: NetworkSpec, seed: UInt64) -> Network {
        let net = Network(spec: spec, seed: seed)
        var g = SeededGenerator(seed: seed &+ 99)
        for p in net.parameters where p.name.hasSuffix(".bias") { p.value.fillNormal(std: 0.2, using: &g) }
        for p in net.parameters where p.name.hasSuffix(".gain") {
            for i in 0..<p.value.count { p.value.data[i] = 0.5 + 2 * g.uniform() }
        }
        net.parametersDidChange()
        return net
    }

    /// [T, C, H, W] of 0/1 events, density `density`.
    static func frames(_ spec: NetworkSpec, steps: Int, seed: UInt64, density: Float = 0.2) -> Tensor {
        let t = Tensor(shape: [steps] + spec.input)
        var g = SeededGenerator(seed: seed)
        for i in 0..<t.count { t.data[i] = g.uniform() < density ? 1 : 0 }
        return t
    }

    /// Exports, writes, reads back and imports; returns the imported network.
    static func roundTrip(_ net: Network, keepScaleNodes: Bool = false) throws -> Network {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("net.nir").path
        let export = try NIRExport(network: net, options: .init(keepScaleNodes: keepScaleNodes))
        try export.graph.write(to: path)
        return try NIRImport(graph: try NIRGraph.read(from: path), options: .init(reset: .subtract)).network
    }
}

@Suite("NIR round trip: export, write, read, import gives the same outputs")
struct NIRRoundTripTests {
    /// Measured (debug build, seed 1, T = 3, density 0.2): folded, every spike equal and max |Δoutput| ≤ 2.1e-7
    /// (outputs up to 1.3; the scale multiplied into the weights rounds differently from the scale multiplied into
    /// the spikes under fused multiply-add); with Scale/AvgPool2d nodes kept, bit for bit.
    @Test("every preset and a mix of plain and sWS convolutions, folded scale and pooling", arguments: RoundTripFixtures.specNames)
    func presets(_ name: String) throws {
        let spec = try RoundTripFixtures.spec(name)
        let net = RoundTripFixtures.network(spec, seed: 1)
        let back = try RoundTripFixtures.roundTrip(net)
        #expect(back.spec.input == spec.input && back.spec.layers == spec.layers)
        #expect(back.spec.neuron.tau == spec.neuron.tau && back.spec.neuron.threshold == spec.neuron.threshold)
        #expect(back.spec.scale == 1, "the scale is folded into the next weights")
        let frames = RoundTripFixtures.frames(spec, steps: 3, seed: 7)
        let d = NetworkProbe(network: back, frames: frames).difference(from: NetworkProbe(network: net, frames: frames))
        print("NIR round trip \(name), folded: \(d)")
        #expect(d.spikeCount > 0, "the input makes spikes")
        #expect(d.spikeMismatches == 0, "\(d)")
        #expect(d.maxOutputError <= 1e-5 * max(d.maxOutput, 1), "\(d)")
    }

    @Test("every preset and a mix of plain and sWS convolutions, Scale and AvgPool2d kept", arguments: RoundTripFixtures.specNames)
    func presetsKept(_ name: String) throws {
        let spec = try RoundTripFixtures.spec(name)
        let net = RoundTripFixtures.network(spec, seed: 2)
        let back = try RoundTripFixtures.roundTrip(net, keepScaleNodes: true)
        #expect(back.spec.scale == spec.scale && back.spec.layers == spec.layers)
        let frames = RoundTripFixtures.frames(spec, steps: 3, seed: 8)
        let d = NetworkProbe(network: back, frames: frames).difference(from: NetworkProbe(network: net, frames: frames))
        print("NIR round trip \(name), kept: \(d)")
        #expect(d.spikeMismatches == 0, "\(d)")
        #expect(d.maxOutputError == 0, "bit for bit: \(d)")
    }

    @Test("a normalised classifier (fcnN) exports as the Affine of its Ŵ and comes back a plain one with the same outputs")
    func normalizedClassifier() throws {
        let spec = try NetworkSpec(parsing: "2x16x16:c8-a2-c16-a2-fcn5")
        let net = RoundTripFixtures.network(spec, seed: 4)
        let back = try RoundTripFixtures.roundTrip(net)
        #expect(back.spec.layers.last == .linear(outputs: 5) && back.parameter("fc.gain") == nil)
        let exported = try #require(back.parameter("fc.weight")).value.values
        let gain = try #require(net.parameter("fc.gain")).value.values
        let features = exported.count / 5
        for o in 0..<5 {
            // Folded: the scale of the last spiking layer is multiplied into the Affine weights.
            let length = exported[(o * features)..<((o + 1) * features)].map { $0 * $0 }.reduce(0, +).squareRoot()
            #expect(abs(length - gain[o] * spec.scale) < 1e-4 * length, "row \(o): ‖Ŵ‖ \(length), gain \(gain[o])")
        }
        let frames = RoundTripFixtures.frames(spec, steps: 3, seed: 9)
        let d = NetworkProbe(network: back, frames: frames).difference(from: NetworkProbe(network: net, frames: frames))
        #expect(d.spikeCount > 0 && d.spikeMismatches == 0, "\(d)")
        #expect(d.maxOutputError <= 1e-5 * max(d.maxOutput, 1), "\(d)")
    }

    @Test("the imported parameters standardize back to the exported weights; plain ones are the exported weights")
    func standardizedWeights() throws {
        let net = RoundTripFixtures.network(try RoundTripFixtures.spec("mixed"), seed: 3)
        let export = try NIRExport(network: net, options: .init(keepScaleNodes: true))
        let back = try NIRImport(graph: export.graph).network
        let again = try NIRExport(network: back, options: .init(keepScaleNodes: true))
        for name in ["conv1", "conv3"] {
            guard case .conv2d(let a)? = export.graph.nodes[name], case .conv2d(let b)? = again.graph.nodes[name] else {
                Issue.record("no \(name)"); continue
            }
            #expect(a.weight.values == net.parameter("\(name).weight")?.value.values, "\(name): the raw weights")
            #expect(a.weight == b.weight, "\(name): plain, bit for bit")
        }
        for name in ["conv2"] {
            guard case .conv2d(let a)? = export.graph.nodes[name], case .conv2d(let b)? = again.graph.nodes[name] else {
                Issue.record("no \(name)"); continue
            }
            let worst = zip(a.weight.values, b.weight.values).map { abs($0 - $1) }.max() ?? 0
            let largest = a.weight.values.map(abs).max() ?? 0
            #expect(worst <= 1e-6 * largest, "\(name): re-standardized weights differ by \(worst)")
        }
    }
}
