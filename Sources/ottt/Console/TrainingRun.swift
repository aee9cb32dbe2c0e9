import Foundation
import Datasets
import Pictures
import Training

/// `ottt train`'s wiring of a library `Trainer` to its outputs: the metrics file, the plot, the progress line on
/// stderr and a line per epoch.
final class TrainingRun {
    let trainer: Trainer
    let data: DataConfig
    let metricsFile: JSONLinesFile?
    let plotPath: String?
    var showProgress = isatty(STDERR_FILENO) != 0

    init(trainer: Trainer, data: DataConfig, metricsFile: JSONLinesFile?, plotPath: String?) {
        self.trainer = trainer
        self.data = data
        self.metricsFile = metricsFile
        self.plotPath = plotPath
    }

    var config: TrainingConfig { trainer.config }
    var history: [EpochMetrics] { trainer.history }

    /// Trains the remaining epochs; after each, appends its metrics, redraws the plot and calls `onEpoch`.
    func run(onEpoch: (EpochMetrics) -> Void = { _ in }) throws {
        var line: (phase: TrainingProgress.Phase, epoch: Int, progress: ProgressLine)?
        trainer.onProgress = { [showProgress] p in
            if line.map({ $0.phase != p.phase || $0.epoch != p.epoch }) ?? true {
                line?.progress.finish()
                let label = p.phase == .training ? "epoch" : "test"
                line = (p.phase, p.epoch, ProgressLine("\(label) \(p.epoch)/\(p.epochs)", enabled: showProgress))
            }
            let fraction = Double(p.done) / Double(max(p.total, 1))
            if p.phase == .training, let loss = p.loss, let accuracy = p.accuracy {
                line?.progress.update(fraction: fraction, detail: String(
                    format: "%d/%d  %.1f samples/s  loss %.4f  acc %.1f%%", p.done, p.total,
                    Double(p.done) / max(p.seconds, 1e-9), loss, 100 * accuracy))
            } else {
                line?.progress.update(fraction: fraction, detail: "\(p.done)/\(p.total)")
            }
        }
        defer { trainer.onProgress = nil }
        while !trainer.isFinished {
            let metrics = try trainer.runEpoch()
            line?.progress.finish()
            line = nil
            try metricsFile?.write(metrics.jsonLine)
            if let plotPath {
                try SVGChart.write(EpochMetrics.charts(trainer.history, title: config.title), to: plotPath)
            }
            onEpoch(metrics)
        }
    }
}
