import Foundation
import NIR
import SNN
import Tensors
import Training

/// `ottt export MODEL.safetensors OUT.nir`: the trained network as a NIR graph for other frameworks and chips.
struct ExportCommand: Command {
    static let name = "export"
    static let abstract = "Write a model as a NIR graph (Neuromorphic Intermediate Representation) for other SNN tools."
    static let usage = """
    usage: ottt export MODEL.safetensors OUT.nir [--dt S] [--keep-scale] [--compress]
                       [--probe-input FRAMES.safetensors --probe-output RUN.safetensors]

    --dt S            seconds per time step in the graph's LIF time constants (default 1e-4, snnTorch's and
                      SpikingJelly's default; Norse's is 1e-3)
    --keep-scale      keep Scale and AvgPool2d nodes instead of folding the ×scale and the 1/k² of average pooling
                      into the next layer's weights (few importers read Scale or AvgPool2d)
    --compress        deflate the weight arrays
    --probe-input F   also run the model on F's tensor `frames` [T, C, H, W] (one sample, from a fresh state) ...
    --probe-output R  ... and write its `outputs` [T, classes] and `lifN.spikes` [T, C, H, W] (0/1) to R, for
                      comparing with a peer simulator (tools/nir_peer_check.py)

    What NIR cannot say is written under the graph's metadata/ and warned about on stderr: ottt's neurons reset by
    subtraction (NIR's set v to v_reset) and fire on v ≥ threshold (NIR's on v > threshold); dropout is dropped.

    Example:
      ottt export runs/digits.safetensors digits.nir
    """

    let model: String
    let output: String
    let options: NIRExport.Options
    let compress: Bool
    let probe: (input: String, output: String)?

    init(arguments: Arguments) throws {
        var a = arguments
        let dt = try a.option("dt", default: 1e-4) { Double($0) }
        guard dt > 0, dt.isFinite else { throw UsageError("--dt \(dt): expected a positive number of seconds") }
        options = NIRExport.Options(dt: dt, keepScaleNodes: a.flag("keep-scale"))
        compress = a.flag("compress")
        let probeInput = try a.option("probe-input"), probeOutput = try a.option("probe-output")
        guard (probeInput == nil) == (probeOutput == nil) else { throw UsageError("--probe-input and --probe-output go together") }
        probe = probeInput.flatMap { i in probeOutput.map { (i, $0) } }
        model = try a.positional("a MODEL.safetensors to export")
        output = try a.positional("an OUT.nir to write")
        try a.finish()
    }

    func run() throws {
        let network = try Checkpoint.load(from: model).network
        let export = try NIRExport(network: network, options: options)
        try export.graph.write(to: output, compress: compress)
        for point in export.lossyPoints { FileHandle.standardError.write(Data("ottt export: warning: \(point)\n".utf8)) }
        let chain = [export.graph.edges.first?.source ?? ""] + export.graph.edges.map(\.target)
        print("wrote \(output): \(export.graph.nodes.count) nodes, \(export.graph.edges.count) edges: \(chain.joined(separator: " → "))")
        if let probe {
            let file = try SafeTensors.read(path: probe.input)
            let frames = try file.tensor("frames")
            guard frames.shape.count == 4, Array(frames.shape.dropFirst()) == network.spec.input else {
                throw CommandFailure("\(probe.input): tensor 'frames' has shape \(frames.shape), expected [T, \(network.spec.input.map(String.init).joined(separator: ", "))]")
            }
            let run = NetworkProbe(network: network, frames: frames)
            var out = SafeTensors()
            out.set("outputs", run.outputs)
            for (l, s) in run.spikes.enumerated() { out.set("lif\(l + 1).spikes", s) }
            out.metadata = ["source": "ottt export --probe", "model": model]
            try out.write(path: probe.output)
            print("wrote \(probe.output): outputs and spikes of \(frames.shape[0]) steps")
        }
    }
}
