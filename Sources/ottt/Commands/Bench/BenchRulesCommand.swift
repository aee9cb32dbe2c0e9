import Benchmarks
import Datasets
import Foundation
import Pictures
import Training

/// `ottt bench rules`: OTTT_A, OTTT_O and BPTT trained on the same tasks with the same seed and epochs; held-out
/// accuracy, training time and peak memory of each, as a table and an SVG chart.
struct BenchRulesCommand: Command {
    static let name = "rules"
    static let abstract = "OTTT_A, OTTT_O and BPTT on the same tasks: test accuracy, time, peak memory (table, SVG)."
    static let usage = """
    usage: ottt bench rules --tasks LIST [--rules R,R,...] [--seeds S,S,...] [--out DIR] [--svg FILE]
                            [--json] [TRAIN OPTIONS]

    Trains the same configuration once per rule (same network, initial weights, seed, sample order and epochs) on
    every task and prints, per task and rule, the test accuracy after the last epoch and the best of any epoch
    (the official scripts' max_test_acc), the training time and the peak resident memory above the memory before
    the run (Linux: the peak is reset between runs). With --seeds, every rule runs once per seed and the table
    gives the mean and standard deviation over the seeds.

    \(BenchTasks.usage)
      --rules LIST      rules to compare, comma-separated (default ottt-a,ottt-o,bptt)
      --seeds LIST      seeds to repeat every run with, comma-separated (instead of --seed)
      --out DIR         keep every run's checkpoints: DIR/<task>-<rule>-seed<S>/{last,best}.safetensors (for
                        ottt eval, e.g. --rates)
      --svg FILE        test accuracy per epoch, one chart per task (the mean over the seeds)
      --json            one JSON object per rule and task

    Example (the README's table: an independent test set, written with another seed):
      ottt synth --task motion --samples 1000 --seed 3 --out data/motion1k/train
      ottt synth --task motion --samples 500 --seed 2 --out data/motion1k/test
      ottt bench rules --tasks data/motion1k --epochs 3 --out runs/rules --svg rules.svg
      ottt bench rules --tasks data/motion1k --epochs 3 --seeds 1,2,3      (mean ± sd over three seeds)
    """

    let tasks: BenchTasks
    let rules: [LearningRuleKind]
    let seeds: [UInt64]
    let out: String?
    let svg: String?
    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        json = a.flag("json")
        svg = try a.option("svg")
        out = try a.option("out")
        rules = try (a.option("rules") ?? "ottt-a,ottt-o,bptt").split(separator: ",").map { word in
            guard let r = LearningRuleKind(rawValue: String(word).lowercased()) else {
                throw UsageError("--rules: no rule '\(word)' (\(LearningRuleKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return r
        }
        if try a.option("rule") != nil { throw UsageError("--rule: bench rules compares rules; give --rules") }
        seeds = try (a.option("seeds")).map { list in
            try list.split(separator: ",").map { word in
                guard let s = UInt64(word) else { throw UsageError("--seeds: cannot use '\(word)'") }
                return s
            }
        } ?? []
        if !seeds.isEmpty, try a.option("seed") != nil { throw UsageError("--seeds: give either --seed or --seeds") }
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
            let done = try RuleComparison.run(task: task.name, config: c, rules: rules, seeds: seeds, train: task.train,
                                              test: task.test, checkpoints: out,
                                              metadata: [DataConfig.metadataKey: task.data.json]) { rule, seed, m in
                progress.update(fraction: Double(m.epoch) / Double(c.epochs),
                                detail: String(format: "%@ seed %llu epoch %d  test %.2f%%", rule.rawValue, seed, m.epoch,
                                               100 * (m.testAccuracy ?? 0)))
            }
            progress.finish()
            for row in done { try BenchOutput.print(row, json: json, line: BenchRulesCommand.line(row)) }
            rows += done
        }
        let summaries = RuleComparison.summarize(rows)
        if json {
            if seeds.count > 1 { for s in summaries { try BenchOutput.print(s, json: true, line: "") } }
        } else {
            print("")
            print(seeds.count > 1 ? BenchRulesCommand.table(summaries) : BenchRulesCommand.table(rows))
        }
        if let svg { try SVGChart.write(BenchRulesCommand.charts(summaries), to: svg) }
    }

    static func line(_ r: RuleComparison.Row) -> String {
        String(format: "%@ %@ seed %llu: test %.2f%% (max %.2f%%), %.1f s, peak +%.1f MiB",
               r.task, r.rule.rawValue, r.seed, 100 * r.finalAccuracy, 100 * r.bestAccuracy, r.seconds,
               Double(r.peakExtraBytes) / 1_048_576)
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

    /// The Markdown table over seeds: mean ± standard deviation of the final test accuracy, and the means.
    static func table(_ summaries: [RuleComparison.Summary]) -> String {
        var lines = ["| task | rule | seeds | test accuracy (mean ± sd) | max test accuracy (mean) | training time (mean) "
                     + "| peak memory above start (mean) |",
                     "|---|---|---:|---:|---:|---:|---:|"]
        for s in summaries {
            lines.append(String(format: "| %@ | %@ | %d | %.2f ± %.2f %% | %.2f %% | %.1f s | %.1f MiB |", s.task, s.rule.rawValue,
                                s.seeds, 100 * s.meanAccuracy, 100 * s.accuracySpread, 100 * s.meanBestAccuracy, s.meanSeconds,
                                s.meanPeakExtraBytes / 1_048_576))
        }
        return lines.joined(separator: "\n")
    }

    /// Test accuracy per epoch (the mean over seeds), one chart per task.
    static func charts(_ summaries: [RuleComparison.Summary]) -> [SVGChart] {
        var tasks: [String] = []
        for s in summaries where !tasks.contains(s.task) { tasks.append(s.task) }
        return tasks.map { task in
            let over = summaries.first { $0.task == task }.map { $0.seeds > 1 ? " (mean of \($0.seeds) seeds)" : "" } ?? ""
            var chart = SVGChart(title: "\(task): test accuracy per epoch\(over)", xLabel: "epoch", yLabel: "test accuracy (%)")
            chart.integerX = true
            for s in summaries where s.task == task {
                chart.add(s.rule.rawValue, s.meanAccuracies.enumerated().map { (Double($0 + 1), 100 * $1) }, dashed: s.rule == .bptt)
            }
            return chart
        }
    }
}
