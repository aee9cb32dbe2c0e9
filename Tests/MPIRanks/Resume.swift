import DataParallel
import Training

/// `resume DIR sgd|adam [perturb]`: every rank trains one epoch on synthetic samples (rank 0 writes
/// DIR/last.safetensors), then every rank reads that checkpoint itself and resumes for a second epoch. Each rank
/// reports the checksum of its optimizer state before the save (`saved`), as read from the file (`loaded`) and after
/// the second epoch (`after`), and of its weights (`weights`). With `perturb` the last rank changes one moment by an
/// ulp after reading, and every rank must refuse to resume (`refused=` the number of differing ranks).
func resume(_ r: Ranks, _ arguments: [String]) throws {
    guard arguments.count >= 2, let kind = OptimizerKind(rawValue: arguments[1]) else {
        r.fail("usage: resume DIR sgd|adam [perturb]")
    }
    let dir = arguments[0], perturb = arguments.dropFirst(2).first == "perturb"
    let config = TrainingConfig(network: "2x8x8:c4-a2-fc4", steps: 3, batch: 6, epochs: 1, optimizer: kind,
                                learningRate: kind == .adam ? 0.01 : 0.1, seed: 5)
    let samples = SyntheticSamples(count: 30, classes: 4, steps: 3, frameShape: [2, 8, 8], seed: 7)
    let first = try Trainer(config: config, train: samples)
    first.communicator = r.communicator
    first.checkpointDirectory = dir
    try first.runEpoch()
    let saved = first.optimizerChecksum
    try r.communicator.barrier()   // rank 0 has written the checkpoint

    let checkpoint = try Checkpoint.load(from: dir + "/last.safetensors")
    let resumed = try Trainer(resuming: checkpoint, epochs: 2, train: samples, test: nil)
    let state = resumed.optimizer.state
    r.expect(!state.isEmpty, "the checkpoint holds no optimizer state")
    if perturb && r.rank == r.size - 1, let moment = state.last?.tensor {
        moment.data[0] = moment.data[0].nextUp
    }
    let loaded = resumed.optimizerChecksum
    resumed.communicator = r.communicator
    let outcome = Result { () throws(TrainingError) in try resumed.runEpoch() }
    if perturb {
        guard case .failure(.distributed(.optimizerStateDiffers(let ranks, let size, _, _))) = outcome else {
            r.fail("the changed moment was not noticed: \(outcome)")
        }
        r.expect(size == r.size, "\(ranks) of \(size) ranks reported")
        return r.ok(["refused": "\(ranks)"])
    }
    _ = try outcome.get()
    r.ok(["saved": "\(saved.hash)", "loaded": "\(loaded.hash)", "after": "\(resumed.optimizerChecksum.hash)",
          "weights": "\(WeightChecksum(resumed.network.parameters).hash)", "tensors": "\(state.count)"])
}
