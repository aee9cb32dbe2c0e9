import Foundation
import Testing
import TestSupport
import NIR
import SNN

/// Graphs written by the reference package (`nir.write`, Tests/Fixtures/nir/, made by tools/nir_check.py fixtures)
/// read and imported, and what the engine cannot represent refused by name.
@Suite("NIR import")
struct NIRImportTests {
    static var expected: [String: Any] {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: SharedMaterial.fixture("nir/fixtures.json")))) ?? Data()
        return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:]
    }

    @Test("we read nir.write's files: the arrays the reference package read back", arguments: [
        "conv-lif-sumpool.nir", "if-scale-avgpool-linear.nir", "refused-heterogeneous-tau.nir", "plain-conv.nir",
    ])
    func reads(_ file: String) throws {
        let graph = try NIRGraph.read(from: SharedMaterial.fixture("nir/\(file)"))
        let summary = try #require(NIRImportTests.expected[file] as? [String: Any], "fixtures.json lacks \(file)")
        #expect(graph.version == summary["version"] as? String)
        try NIRReferenceTests.compare(graph, summary: summary)
    }

    @Test("a convolutional graph from nir.write becomes an ottt network with τ = tau/dt")
    func convolutional() throws {
        let graph = try NIRGraph.read(from: SharedMaterial.fixture("nir/conv-lif-sumpool.nir"))
        let imported = try NIRImport(graph: graph, options: .init(reset: .zero))
        let spec = imported.network.spec
        #expect(spec.description == "2x8x8:c4-a2-fc3")
        #expect(spec.neuron.tau == 4 && spec.neuron.threshold == 1 && spec.neuron.reset == .zero)
        #expect(spec.scale == 1)
        // The sum pool's 4 goes into the classifier's weights (the engine averages).
        guard case .affine(let w, _)? = graph.nodes["fc"] else { Issue.record("no fc"); return }
        let fc = try #require(imported.network.parameter("fc.weight"))
        #expect(fc.value.values == w.values.map { $0 * 4 })
    }

    @Test("IF, a Scale after every neuron, AvgPool2d over the whole map and Linear")
    func integrateAndFire() throws {
        let graph = try NIRGraph.read(from: SharedMaterial.fixture("nir/if-scale-avgpool-linear.nir"))
        let spec = try NIRImport(graph: graph).network.spec
        #expect(spec.description == "1x4x4:c3-gap-fc2")
        #expect(spec.neuron.tau == .infinity && spec.scale == 2)
    }

    @Test("nir.write's convolutions with arbitrary weights become plain convolutions, the zero-mean one sWS")
    func plainConvolutions() throws {
        let graph = try NIRGraph.read(from: SharedMaterial.fixture("nir/plain-conv.nir"))
        let imported = try NIRImport(graph: graph)
        let net = imported.network
        #expect(net.spec.description == "2x4x4:cp3-c4-cp2-fc3")
        #expect(net.parameter("conv1.gain") == nil && net.parameter("conv2.gain") != nil && net.parameter("conv3.gain") == nil)
        #expect(imported.notes.contains { $0.contains("'conv1'") && $0.contains("plain convolution") }, "\(imported.notes)")
        // Plain weights are the file's; exported again, every convolution is the file's (sWS within rounding).
        let again = try NIRExport(network: net, options: .init(keepScaleNodes: true)).graph
        for name in ["conv1", "conv2", "conv3"] {
            guard case .conv2d(let file)? = graph.nodes[name], case .conv2d(let back)? = again.nodes[name] else {
                Issue.record("no \(name)"); continue
            }
            if name != "conv2" { #expect(net.parameter("\(name).weight")?.value.values == file.weight.values, "\(name)") }
            let worst = zip(file.weight.values, back.weight.values).map { abs($0 - $1) }.max() ?? 1
            #expect(worst <= 1e-6 * (file.weight.values.map(abs).max() ?? 0), "\(name): \(worst)")
            #expect(back.bias == file.bias, "\(name)")
        }
    }

    @Test("heterogeneous τ is refused with the node's name")
    func heterogeneous() throws {
        let graph = try NIRGraph.read(from: SharedMaterial.fixture("nir/refused-heterogeneous-tau.nir"))
        let error = try #require(throws: NIRError.self) { try NIRImport(graph: graph) }
        #expect("\(error)".contains("'lif'") && "\(error)".contains("heterogeneous tau"), "\(error)")
    }

    @Test("recurrent edges, unknown nodes and stray nodes are refused by name")
    func refusals() throws {
        let spec = try #require(NetworkSpec.preset("small32"))
        let graph = try NIRExport(network: Network(spec: spec, seed: 1)).graph
        var recurrent = graph
        recurrent.edges.append(.init("lif2", "conv1"))
        #expect(String(describing: try #require(throws: NIRError.self) { try NIRImport(graph: recurrent) }).contains("recurrent edge"))
        var unknown = graph
        unknown.nodes["pool1"] = .other(type: "Delay")
        #expect(String(describing: try #require(throws: NIRError.self) { try NIRImport(graph: unknown) }).contains("'pool1'"))
        var stray = graph
        stray.nodes["extra"] = .scale(NIRArray(shape: [], values: [1]))
        #expect(String(describing: try #require(throws: NIRError.self) { try NIRImport(graph: stray) }).contains("'extra'"))
    }

    @Test("a file that is not HDF5 is refused naming the file")
    func notHDF5() throws {
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.nir").path
        FileManager.default.createFile(atPath: path, contents: Data("not hdf5".utf8))
        let e = try #require(throws: NIRError.self) { try NIRGraph.read(from: path) }
        #expect("\(e)".contains(path))
    }
}
