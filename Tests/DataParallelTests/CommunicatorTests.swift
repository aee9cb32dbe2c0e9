import DataParallel
import MessagePassing
import SNN
import Testing

/// A plain run: one rank, MPI never initialised, every collective the identity.
@Suite("Communicator (single process)")
struct CommunicatorTests {
    @Test("without a launcher the world is the single process and MPI is not touched")
    func world() throws {
        let c = try Communicator.world(launch: .single)
        #expect(c.rank == 0 && c.size == 1 && c.isRoot && !c.usesMPI)
    }

    @Test("collectives over one rank return the values")
    func collectives() throws {
        let c = Communicator.single
        var values: [Float] = [1, -2, 3.5]
        try values.withUnsafeMutableBufferPointer { try c.sumInPlace($0) }
        #expect(values == [1, -2, 3.5])
        let pending = try values.withUnsafeMutableBufferPointer { try c.startSumInPlace($0) }
        #expect(pending.isComplete)
        #expect(try c.sum([4, 5] as [Int64]) == [4, 5] && c.sum([0.25] as [Double]) == [0.25])
        #expect(try c.maximum([1.5]) == [1.5] && c.minimum([2.5]) == [2.5])
        #expect(try c.broadcast([1, 2, 3]) == [1, 2, 3])
        try c.barrier()
        try c.finalize()
    }

    @Test("weights agree and broadcast is a no-op on one rank")
    func parameters() throws {
        let net = Network(spec: NetworkSpec(input: [2, 4, 4], layers: [.conv(channels: 2), .globalAveragePool, .linear(outputs: 2)]), seed: 4)
        let before = WeightChecksum(net.parameters)
        try Communicator.single.broadcastParameters(of: net)
        #expect(try Communicator.single.verifyIdenticalWeights(net.parameters) == before)
    }
}

@Suite("Launch")
struct LaunchTests {
    @Test("a launcher is recognised by its environment variable", arguments: [
        ([:], Launch.single),
        (["OMPI_COMM_WORLD_SIZE": "2"], .launcher(variable: "OMPI_COMM_WORLD_SIZE")),
        (["PMIX_RANK": "0", "HOME": "/root"], .launcher(variable: "PMIX_RANK")),
        (["PMI_RANK": "1"], .launcher(variable: "PMI_RANK")),
        (["OMPI_MCA_btl": "self"], .single),
    ])
    func detect(environment: [String: String], expected: Launch) {
        #expect(Launch.detect(environment: environment) == expected)
    }
}
