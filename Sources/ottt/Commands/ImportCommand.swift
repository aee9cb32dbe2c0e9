import Foundation
import NIR
import SNN
import Training

/// `ottt import IN.nir OUT.safetensors`: a NIR graph as an ottt model that replay, live, eval and --learn use.
struct ImportCommand: Command {
    static let name = "import"
    static let abstract = "Read a NIR graph (Neuromorphic Intermediate Representation) into an ottt model."
    static let usage = """
    usage: ottt import IN.nir OUT.safetensors [--reset zero|subtract] [--dt S]

    --reset R   how the neurons reset after a spike: zero (NIR's v ← v_reset) or subtract (ottt's own; what a
                graph exported by ottt means). Default: the graph's metadata/reset, else zero
    --dt S      seconds per time step to discretise the LIF time constants with (default: the graph's
                metadata/dt, else 1e-4)

    The graph must be a chain Input → (Conv2d 3×3 → LIF|IF [→ Scale] [→ SumPool2d|AvgPool2d])* → Flatten →
    Affine|Linear → Output with one τ and threshold for all neurons; anything else is refused with the node's
    name and why. A Conv2d whose rows have zero mean (what `ottt export` writes for cN) becomes a
    weight-standardized convolution again, any other a plain one (cpN).

    Example:
      ottt import digits.nir digits-again.safetensors --reset subtract
    """

    let input: String
    let output: String
    let options: NIRImport.Options

    init(arguments: Arguments) throws {
        var a = arguments
        let reset = try a.option("reset")
        let dt = try a.option("dt")
        var options = NIRImport.Options()
        if let reset {
            guard let r = LIF.Reset(rawValue: reset) else { throw UsageError("--reset \(reset): expected zero or subtract") }
            options.reset = r
        }
        if let dt {
            guard let v = Double(dt), v > 0, v.isFinite else { throw UsageError("--dt \(dt): expected a positive number of seconds") }
            options.dt = v
        }
        self.options = options
        input = try a.positional("an IN.nir to import")
        output = try a.positional("an OUT.safetensors to write")
        try a.finish()
    }

    func run() throws {
        let graph = try NIRGraph.read(from: input)
        let imported = try NIRImport(graph: graph, options: options)
        for note in imported.notes { FileHandle.standardError.write(Data("ottt import: \(note)\n".utf8)) }
        try Checkpoint.save(to: output, network: imported.network, optimizer: nil,
                            metadata: ["imported_from": input, "nir_version": graph.version])
        print("wrote \(output): network \(imported.network.spec) (\(imported.network.parameterCount) parameters)")
    }
}
