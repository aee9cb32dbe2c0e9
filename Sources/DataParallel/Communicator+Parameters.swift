import MessagePassing
import SNN
import Tensors

extension Communicator {
    /// Gives every rank rank `root`'s parameter values (at the start of a run, or after rank 0 alone has read a
    /// checkpoint), after checking that every rank built a network with the same parameter names and shapes.
    public func broadcastParameters(of network: Network, from root: Int = 0) throws(DataParallelError) {
        let differing = try differingRanks(WeightChecksum.structure(of: network.parameters), root: root)
        if differing > 0 { throw .differentNetworks(ranks: differing, of: size) }
        try mpi { () throws(MPIError) in
            for p in network.parameters { try broadcast(p.value.buffer, from: root) }
        }
        network.parametersDidChange()
    }

    /// The checksum of the parameters, after checking it is the same on every rank; throws `weightsDiverged` on
    /// every rank when any rank's differs from rank `root`'s.
    @discardableResult
    public func verifyIdenticalWeights(_ parameters: [Parameter], root: Int = 0)
        throws(DataParallelError) -> WeightChecksum
    {
        try verifyIdentical(WeightChecksum(parameters), root: root)
    }

    /// `checksum`, after checking it is the same on every rank; throws `weightsDiverged` on every rank when any
    /// rank's differs from rank `root`'s.
    @discardableResult
    public func verifyIdentical(_ local: WeightChecksum, root: Int = 0) throws(DataParallelError) -> WeightChecksum {
        try verifyIdentical(local, root: root, else: DataParallelError.weightsDiverged)
    }

    /// The checksum of an optimizer's state (`Optimizer.state`: momenta, Adam's moments and step count), after
    /// checking it is the same on every rank; throws `optimizerStateDiffers` on every rank when any rank's differs
    /// from rank `root`'s. A resumed run calls it once every rank has read the checkpoint, before the first step.
    @discardableResult
    public func verifyIdenticalOptimizerState(_ state: [(name: String, tensor: Tensor)], root: Int = 0)
        throws(DataParallelError) -> WeightChecksum
    {
        try verifyIdentical(WeightChecksum(tensors: state), root: root, else: DataParallelError.optimizerStateDiffers)
    }

    private func verifyIdentical(_ local: WeightChecksum, root: Int,
                                 else failure: (Int, Int, UInt64, UInt64) -> DataParallelError)
        throws(DataParallelError) -> WeightChecksum
    {
        var rootHash = local.hash
        let differing = try differingRanks(local.hash, root: root, rootValue: &rootHash)
        if differing > 0 { throw failure(differing, size, rootHash, local.hash) }
        return local
    }

    /// Checks that every rank holds the same `settings` (a training configuration in words, say) as rank `root`;
    /// throws `differentSettings` naming `what` on every rank otherwise.
    public func verifySameSettings(_ settings: String, what: String, root: Int = 0) throws(DataParallelError) {
        var h = WeightChecksum.FNV()
        for byte in settings.utf8 { h.mix(UInt64(byte)) }
        let differing = try differingRanks(h.state, root: root)
        if differing > 0 { throw .differentSettings(what: what, ranks: differing, of: size) }
    }

    /// The number of ranks whose `value` differs from rank `root`'s (the same answer on every rank).
    func differingRanks(_ value: UInt64, root: Int) throws(DataParallelError) -> Int {
        var ignored = value
        return try differingRanks(value, root: root, rootValue: &ignored)
    }

    private func differingRanks(_ value: UInt64, root: Int, rootValue: inout UInt64) throws(DataParallelError) -> Int {
        guard usesMPI else { return 0 }
        var bytes = withUnsafeBytes(of: value.littleEndian) { Array($0) }
        bytes = try mpi { () throws(MPIError) in try broadcast(bytes, from: root) }
        let theirs = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        rootValue = theirs
        let counts = try mpi { () throws(MPIError) in try sum([theirs == value ? Int64(0) : 1]) }
        return Int(counts[0])
    }
}
