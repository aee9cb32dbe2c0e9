import Foundation
import Testing
import TestSupport
import NIR
import SNN
import Tensors

/// Our files read by the reference package (`nir.read`, strict, with its type checks) and its files read by us.
@Suite("NIR files checked by the reference package")
struct NIRReferenceTests {
    /// The reference summary (tools/nir_check.py summary) of a graph we wrote, compared node by node with the graph.
    static func compare(_ graph: NIRGraph, withSummaryOf path: String) throws {
        let json = try ReferencePython.check(["summary", path])
        try compare(graph, summary: try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]))
    }

    /// Edges, node names and types, and every array's shape, sum and sum of squares (float32 values summed in double
    /// on both sides: equal up to the order of the sums).
    static func compare(_ graph: NIRGraph, summary: [String: Any]) throws {
        let edges = try #require(summary["edges"] as? [[String]])
        #expect(edges == graph.edges.map { [$0.source, $0.target] }.sorted { $0.lexicographicallyPrecedes($1) })
        let nodes = try #require(summary["nodes"] as? [String: [String: Any]])
        #expect(Set(nodes.keys) == Set(graph.nodes.keys))
        for (name, node) in graph.nodes {
            let theirs = try #require(nodes[name], "nir.read lost node \(name)")
            #expect(theirs["type"] as? String == node.typeName, "node \(name)")
            let fields = try #require(theirs["fields"] as? [String: [String: Any]])
            for (field, array) in node.arrays {
                let f = try #require(fields[field], "\(name).\(field) missing in nir.read's node")
                #expect(f["shape"] as? [Int] == array.shape, "\(name).\(field)")
                let sum = array.values.reduce(0.0) { $0 + Double($1) }, sumsq = array.values.reduce(0.0) { $0 + Double($1) * Double($1) }
                let theirSum = try #require(f["sum"] as? Double), theirSumsq = try #require(f["sumsq"] as? Double)
                #expect(abs(theirSum - sum) <= 1e-9 * max(1, sumsq.squareRoot() * Double(array.values.count)), "\(name).\(field) sum \(theirSum) vs \(sum)")
                #expect(abs(theirSumsq - sumsq) <= 1e-9 * max(1, sumsq), "\(name).\(field) sum of squares \(theirSumsq) vs \(sumsq)")
            }
        }
    }

    @Test("nir.read reads every preset we export (and plain convolutions), folded and with Scale/AvgPool2d, with our shapes and weights",
          .enabled(if: ReferencePython.isAvailable, ReferencePython.skipReason),
          arguments: NetworkSpec.presetNames + ["mixed"], [false, true])
    func presets(_ name: String, keepScaleNodes: Bool) throws {
        let spec = try RoundTripFixtures.spec(name)
        let graph = try NIRExport(network: RoundTripFixtures.network(spec, seed: 4), options: .init(keepScaleNodes: keepScaleNodes)).graph
        let dir = try SharedMaterial.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("\(name).nir").path
        try graph.write(to: path, compress: keepScaleNodes)
        try NIRReferenceTests.compare(graph, withSummaryOf: path)
    }
}

extension NIRNode {
    /// The float arrays of the node by field name (as the file names them), for comparisons.
    var arrays: [(String, NIRArray)] {
        switch self {
        case .conv2d(let c): [("weight", c.weight), ("bias", c.bias)]
        case let .affine(w, b): [("weight", w), ("bias", b)]
        case .linear(let w): [("weight", w)]
        case .lif(let p): [("tau", p.tau), ("r", p.r), ("v_leak", p.leak), ("v_threshold", p.threshold), ("v_reset", p.reset)]
        case let .integrateAndFire(r, t, reset): [("r", r), ("v_threshold", t), ("v_reset", reset)]
        case let .leakyIntegrator(tau, r, leak): [("tau", tau), ("r", r), ("v_leak", leak)]
        case .scale(let s): [("scale", s)]
        default: []
        }
    }
}
