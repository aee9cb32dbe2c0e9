import Foundation
import Training

/// `ottt reference FILE`: checks the engine against tensors written by the official PyTorch code.
struct ReferenceCommand: Command {
    static let name = "reference"
    static let abstract = "Check the engine against a PyTorch reference file (forward, OTTT_A, OTTT_O, BPTT)."
    static let usage = """
    usage: ottt reference FILE.safetensors [--json] [--all]

    Runs the network described by the file's `spec` metadata from its `init.*` parameters on its `input`, and
    compares outputs, spikes, traces, OTTT_A gradients, OTTT_O parameters and BPTT gradients with the file's
    tensors (layout in docs/OTTT.md; tools/make_reference.py writes such files). Prints the largest absolute
    and relative error per group; exits 0 only when every tensor is within the file's tolerance
    (|ours − ref| ≤ atol + rtol·|ref|).

      --all    one line per tensor, not only per group
      --json   one JSON object per tensor

    Example:
      ottt reference ../shared/reference/ottt_small.safetensors
    """

    let path: String
    let json: Bool
    let all: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        json = a.flag("json")
        all = a.flag("all")
        path = try a.positional("a reference .safetensors file")
        try a.finish()
    }

    func run() throws {
        let check = try ReferenceCheck(path: path)
        let results = try check.run()
        guard !results.isEmpty else { throw CommandFailure("\(path) holds no reference tensors to compare") }
        if json {
            for c in results {
                print("{\"tensor\":\"\(c.name)\",\"group\":\"\(c.group)\",\"max_abs\":\(c.maxAbsolute),\"max_rel\":\(c.maxRelative),\"failures\":\(c.failures)}")
            }
        } else {
            print("network \(check.spec), T = \(check.steps), B = \(check.batch), rtol \(check.rtol), atol \(check.atol)")
            if check.spikesAreUnscaled { print("(the file stores spikes and traces before the ×\(check.spec.scale) scale; compared so)") }
            for summary in ReferenceCheck.summarize(results) {
                let failed = summary.failed
                let verdict = failed.isEmpty ? "ok" : "FAIL (\(failed.map(\.name).joined(separator: ", ")))"
                print("\(summary.group.padding(8)) \(summary.comparisons.count) tensors  max abs \(fmt(summary.maxAbsolute))  "
                      + "max rel \(fmt(summary.maxRelative))  \(verdict)")
                for c in summary.comparisons where all || !c.passed {
                    print("  \(c.name.padding(28)) max abs \(fmt(c.maxAbsolute))  max rel \(fmt(c.maxRelative))  "
                          + (c.passed ? "ok" : "\(c.failures) outside; worst [\(c.worst.index)] ours \(c.worst.ours) ref \(c.worst.reference)"))
                }
            }
        }
        let failed = results.filter { !$0.passed }
        if !failed.isEmpty { throw CommandFailure("\(failed.count) of \(results.count) tensors outside tolerance") }
    }

    private func fmt(_ x: Float) -> String { String(format: "%.2e", x) }
}
