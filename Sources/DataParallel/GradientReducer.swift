import MessagePassing
import SNN
import Tensors

/// Sums the parameter gradients of one optimizer step over ranks, bucket by bucket as backward finishes them,
/// so that the transfer of the last layers overlaps the backward of the first.
///
/// Scaling. `StepLoss` averages over the samples it is given: on a rank holding b_r of a global batch of
/// B = Σ_r b_r samples, ∂L/∂o carries 1/b_r, so the rank's gradient is G_r = (Σ_{s on r} g_s) / b_r, where g_s is
/// sample s's unscaled gradient summed over the T steps. One process at batch B computes (Σ_s g_s) / B. The
/// reducer multiplies G_r by b_r / B before the sum, so every rank ends with Σ_r (b_r / B) · G_r = (Σ_s g_s) / B,
/// the single-process gradient up to the order of float additions (uneven shards and empty ones included:
/// an empty rank's factor is 0).
///
/// Buckets. Parameters are grouped from the last backwards (the order backward finishes them: the classifier,
/// then the last convolution, …) into buckets of about `bucketBytes`; a parameter larger than that is a bucket
/// of its own and is reduced in place, smaller ones are copied into a contiguous buffer (one message instead of
/// many small ones). Every rank makes the same buckets from the same network and starts them in the same order.
///
/// Use per optimizer step:
///
///     reducer.begin(localBatch: b, globalBatch: B)
///     … backward; whenever parameters' gradients are final: try reducer.gradientsReady([p, …])
///     try reducer.finish()      // waits; the gradients now hold the global-batch gradient
///     optimizer.step(network)
///
/// Gradients must be complete when reported (for a spiking convolution or a normalised classifier, after
/// `Network.collectGradients`, which folds the weight standardization's or normalization's backward in: that map is
/// linear in dŴ, so reducing dW equals reducing dŴ).
public final class GradientReducer {
    public let communicator: Communicator
    public let parameters: [Parameter]
    /// Parameter indices per bucket, buckets in the order they are started.
    public let buckets: [[Int]]

    private let bucketOf: [ObjectIdentifier: Int]
    /// Copy buffers of buckets with more than one parameter (nil: reduced in place).
    private let buffers: [Tensor?]
    private var isReady: [Bool]
    private var waitingIn: [Int]
    private var pending: [PendingReduction?]
    private var scale: Float = 1
    private var active = false

    /// Bucket size of about 4 MB: a few messages per network, each large enough for full bandwidth.
    public static let defaultBucketBytes = 4 << 20

    public init(parameters: [Parameter], communicator: Communicator, bucketBytes: Int = defaultBucketBytes) {
        precondition(bucketBytes > 0, "bucket of \(bucketBytes) bytes")
        self.parameters = parameters
        self.communicator = communicator
        var buckets: [[Int]] = [], current: [Int] = [], bytes = 0
        for i in parameters.indices.reversed() {
            let size = parameters[i].gradient.count * MemoryLayout<Float>.size
            if !current.isEmpty && bytes + size > bucketBytes { buckets.append(current); current = []; bytes = 0 }
            current.append(i); bytes += size
        }
        if !current.isEmpty { buckets.append(current) }
        self.buckets = buckets
        var bucketOf: [ObjectIdentifier: Int] = [:]
        for (b, members) in buckets.enumerated() { for i in members { bucketOf[ObjectIdentifier(parameters[i])] = b } }
        self.bucketOf = bucketOf
        buffers = buckets.map { members in
            members.count == 1 ? nil : Tensor(shape: [members.reduce(0) { $0 + parameters[$1].gradient.count }])
        }
        isReady = Array(repeating: false, count: parameters.count)
        waitingIn = buckets.map(\.count)
        pending = Array(repeating: nil, count: buckets.count)
    }

    /// Starts an optimizer step in which this rank holds `localBatch` of the `globalBatch` samples.
    public func begin(localBatch: Int, globalBatch: Int) {
        precondition(!active, "begin while a reduction is under way (finish it first)")
        precondition(globalBatch > 0 && localBatch >= 0 && localBatch <= globalBatch,
                     "local batch \(localBatch) of a global batch of \(globalBatch)")
        scale = Float(localBatch) / Float(globalBatch)
        for i in isReady.indices { isReady[i] = false }
        for b in buckets.indices { waitingIn[b] = buckets[b].count; pending[b] = nil }
        active = true
    }

    /// Reports that the gradients of `ready` are final for this step; starts the reduction of every bucket whose
    /// parameters are now all final, and lets the ones under way progress.
    public func gradientsReady(_ ready: [Parameter]) throws(DataParallelError) {
        precondition(active, "gradientsReady outside begin … finish")
        for p in ready {
            guard let i = parameters.firstIndex(where: { $0 === p }), let b = bucketOf[ObjectIdentifier(p)] else {
                preconditionFailure("parameter \(p.name) is not one of the reducer's")
            }
            guard !isReady[i] else { continue }
            isReady[i] = true
            waitingIn[b] -= 1
            if waitingIn[b] == 0 { try start(b) }
        }
        try mpi { () throws(MPIError) in for case let r? in pending { try r.poll() } }
    }

    /// Starts what is left, waits for every bucket, and leaves the global-batch gradient in every parameter.
    public func finish() throws(DataParallelError) {
        precondition(active, "finish without begin")
        active = false
        for b in buckets.indices where pending[b] == nil { try start(b) }
        for b in buckets.indices {
            try mpi { () throws(MPIError) in try pending[b]?.wait() }
            guard let buffer = buffers[b] else { continue }
            var offset = 0
            for i in buckets[b] {
                let g = parameters[i].gradient
                g.data.update(from: buffer.data + offset, count: g.count)
                offset += g.count
            }
        }
    }

    /// `begin`, then `finish` with every gradient final: one blocking reduction, no overlap.
    public func reduce(localBatch: Int, globalBatch: Int) throws(DataParallelError) {
        begin(localBatch: localBatch, globalBatch: globalBatch)
        try finish()
    }

    private func start(_ b: Int) throws(DataParallelError) {
        let s = scale
        let target: UnsafeMutableBufferPointer<Float>
        if let buffer = buffers[b] {
            var offset = 0
            for i in buckets[b] {
                let g = parameters[i].gradient, out = buffer.data + offset
                for j in 0..<g.count { out[j] = s * g.data[j] }
                offset += g.count
            }
            target = buffer.buffer
        } else {
            let g = parameters[buckets[b][0]].gradient
            if s != 1 { for j in 0..<g.count { g.data[j] *= s } }
            target = g.buffer
        }
        pending[b] = try mpi { () throws(MPIError) in try communicator.startSumInPlace(target) }
    }
}
