import Benchmarks
import Foundation
import Pictures
import Training

/// `ottt bench rules`: OTTT_A, OTTT_O and BPTT trained on the same tasks with the same seed and epochs; held-out
/// accuracy, training time and peak memory of each, as a table and an SVG chart.
struct BenchRulesCommand: Command {
    static let name = "rules"
    static let abstract = "OTTT_A, OTTT_O and BPTT on the same tasks: test accuracy, time, peak memory (table, SVG)."
    static let usage = """
    usage: ottt bench rules --tasks LIST [--rules R,R,...] [--svg FILE] [--json] [TRAIN OPTIONS]

    Trains the same configuration once per rule (same network, initial weights, seed, sample order and epochs) on
    every task and prints, per task and rule, the test accuracy after the last epoch and the best of any epoch
    (the official scripts' max_test_acc), the training time and the peak resident memory above the memory before
    the run (Linux: the peak is reset between runs).

    \(BenchTasks.usage)
      --rules LIST      rules to compare, comma-separated (default ottt-a,ottt-o,bptt)
      --svg FILE        test accuracy per epoch, one chart per task
      --json            one JSON object per rule and task

    Example (the README's table):
      ottt synth --task digits --samples 2000 --out data/digits
      ottt synth --task motion --samples 2000 --out data/motion
      ottt bench rules --tasks data/digits,data/motion --epochs 10 --svg rules.svg
    """

    let tasks: BenchTasks
    let rules: [LearningRuleKind]
    let svg: String?
    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        json = a.flag("json")
        svg = try a.option("svg")
        rules = try (a.option("rules") ?? "ottt-a,ottt-o,bptt").split(separator: ",").map { word in
            guard let r = LearningRuleKind(rawValue: String(word).lowercased()) else {
                throw UsageError("--rules: no rule '\(word)' (\(LearningRuleKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return r
        }
        if try a.option("rule") != nil { throw UsageError("--rule: bench rules compares rules; give --rules") }
        tasks = try BenchTasks(&a)
        try a.finish()
    }

    func run() throws {
        var rows: [RuleComparison.Row] = []
        for task in try tasks.load() {
            let c = task.config
            printError("\(task.name): \(c.network), T \(c.steps), batch \(c.batch), \(c.optimizer.rawValue) lr \(c.learningRate), "
                       + "\(c.epochs) epochs, \(task.train.count) train / \(task.test.count) test samples")
            let progress = ProgressLine(task.name)
            let done = try RuleComparison.run(task: task.name, config: c, rules: rules, train: task.train, test: task.test) { rule, m in
                progress.update(fraction: Double(m.epoch) / Double(c.epochs),
                                detail: String(format: "%@ epoch %d  test %.2f%%", rule.rawValue, m.epoch, 100 * (m.testAccuracy ?? 0)))
            }
            progress.finish()
            for row in done { try BenchOutput.print(row, json: json, line: BenchRulesCommand.line(row)) }
            rows += done
        }
        if !json { print(""); print(BenchRulesCommand.table(rows)) }
        if let svg { try SVGChart.write(BenchRulesCommand.charts(rows), to: svg) }
    }

    static func line(_ r: RuleComparison.Row) -> String {
        String(format: "%@ %@: test %.2f%% (max %.2f%%), %.1f s, peak +%.1f MiB",
               r.task, r.rule.rawValue, 100 * r.finalAccuracy, 100 * r.bestAccuracy, r.seconds, Double(r.peakExtraBytes) / 1_048_576)
    }

    /// The Markdown table of the README.
    static func table(_ rows: [RuleComparison.Row]) -> String {
        var lines = ["| task | rule | test accuracy | max test accuracy | training time | peak memory above start |",
                     "|---|---|---:|---:|---:|---:|"]
        for r in rows {
            lines.append(String(format: "| %@ | %@ | %.2f %% | %.2f %% | %.1f s | %.1f MiB |", r.task, r.rule.rawValue,
                                100 * r.finalAccuracy, 100 * r.bestAccuracy, r.seconds, Double(r.peakExtraBytes) / 1_048_576))
        }
        return lines.joined(separator: "\n")
    }

    static func charts(_ rows: [RuleComparison.Row]) -> [SVGChart] {
        var tasks: [String] = []
        for r in rows where !tasks.contains(r.task) { tasks.append(r.task) }
        return tasks.map { task in
            var chart = SVGChart(title: "\(task): test accuracy per epoch", xLabel: "epoch", yLabel: "test accuracy (%)")
            chart.integerX = true
            for r in rows where r.task == task {
                chart.add(r.rule.rawValue, r.accuracies.enumerated().map { (Double($0 + 1), 100 * $1) }, dashed: r.rule == .bptt)
            }
            return chart
        }
    }
}
