import Benchmarks
import Foundation
import Pictures
import Training

/// `ottt bench gradients`: the cosine similarity and sign agreement of the OTTT_A and BPTT gradients of every
/// layer, on the same weights and batch, over the course of a training run.
struct BenchGradientsCommand: Command {
    static let name = "gradients"
    static let abstract = "OTTT_A against BPTT gradients per layer (cosine, sign agreement) during training."
    static let usage = """
    usage: ottt bench gradients --tasks LIST [--probe N] [--svg FILE] [--json] [TRAIN OPTIONS]

    Trains each task with the configured rule (default ottt-a) and, at initialisation and after every epoch,
    computes on the network's current weights and one fixed batch (the first N test samples) both the OTTT_A and
    the BPTT gradient of every layer (weight, bias and gain together; dropout off for both) and prints their cosine
    similarity and the fraction of entries whose signs agree, per layer and for the whole network ("all"). A
    positive cosine means OTTT's step is a descent direction of BPTT's loss.

    \(BenchTasks.usage)
      --probe N         samples in the fixed batch (default 32)
      --svg FILE        cosine similarity per layer against the epoch, one chart per task
      --json            one JSON object per task and point

    Examples (the README's figures):
      ottt bench gradients --tasks data/digits,data/motion --epochs 10 --svg gradients.svg
      ottt bench gradients --tasks synthetic --preset paper-cifar10dvs --dropout 0 --samples 32 --classes 10 --steps 6 \\
          --batch 8 --epochs 2 --probe 8      (the paper's VGG-11 on random 2x48x48 input)
    """

    let tasks: BenchTasks
    let probe: Int
    let svg: String?
    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        json = a.flag("json")
        svg = try a.option("svg")
        probe = try a.positiveInt("probe", default: 32)
        tasks = try BenchTasks(&a)
        try a.finish()
    }

    struct Figure: Encodable {
        var task: String
        var point: GradientAgreement.Point
    }

    func run() throws {
        var charts: [SVGChart] = []
        for task in try tasks.load() {
            let c = task.config
            printError("\(task.name): \(c.network), \(c.rule.rawValue), T \(c.steps), batch \(c.batch), \(c.epochs) epochs, "
                       + "probe batch \(min(probe, task.test.count))")
            let points = try GradientAgreement.run(config: c, train: task.train, test: task.test, probe: task.test,
                                                   probeSize: probe) { p in
                try? BenchOutput.print(Figure(task: task.name, point: p), json: json,
                                       line: BenchGradientsCommand.line(task.name, p))
            }
            if !json { print(""); print(BenchGradientsCommand.table(task.name, points)); print("") }
            var chart = SVGChart(title: "\(task.name): cosine(OTTT_A, BPTT) per layer", xLabel: "epoch",
                                 yLabel: "cosine similarity", yRange: -0.2...1)
            chart.integerX = true
            for name in points.first?.layers.map(\.name) ?? [] {
                chart.add(name, points.compactMap { p in p.layers.first { $0.name == name }.map { (Double(p.epoch), $0.cosine) } },
                          dashed: name == "all")
            }
            charts.append(chart)
        }
        if let svg { try SVGChart.write(charts, to: svg) }
    }

    static func line(_ task: String, _ p: GradientAgreement.Point) -> String {
        let layers = p.layers.map { String(format: "%@ %.3f/%.2f", $0.name, $0.cosine, $0.signAgreement) }
        return "\(task) epoch \(p.epoch)" + (p.testAccuracy.map { String(format: " (test %.2f%%)", 100 * $0) } ?? "")
            + ": cosine/sign " + layers.joined(separator: "  ")
    }

    /// The Markdown table: a row per layer, cosine (sign agreement) per measured epoch.
    static func table(_ task: String, _ points: [GradientAgreement.Point]) -> String {
        var lines = ["| \(task): layer | " + points.map { "epoch \($0.epoch)" }.joined(separator: " | ") + " |",
                     "|---|" + points.map { _ in "---:" }.joined(separator: "|") + "|"]
        for name in points.first?.layers.map(\.name) ?? [] {
            let cells = points.map { p in
                p.layers.first { $0.name == name }.map { String(format: "%.3f (%.2f)", $0.cosine, $0.signAgreement) } ?? "–"
            }
            lines.append("| \(name) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}
