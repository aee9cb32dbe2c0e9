import DVSEvents
import EventFormats
import Foundation
import Pipeline

/// `ottt replay FILE`: the always-on learner on a recording, paced at wall-clock rate.
struct ReplayCommand: Command {
    static let name = "replay"
    static let abstract = "Run the always-on learner on a recording at wall-clock rate (predict, learn, teach)."
    static var usage: String {
        """
        usage: ottt replay FILE [--speed 1|4|max] [--label-file CSV] [--resume CKPT] [--no-journal] [OPTIONS]

        Streams FILE (any format ottt reads) through the learner: bins of Δt, one network step per bin with the
        state carried, a running prediction. With labels — a CSV of start_us,end_us,label (DVS128 Gesture's
        *_labels.csv beside the file is found by itself) — every prediction is scored before the learner sees its
        label (test-then-train) and, with --learn, learned from; the end shows the confusion matrix.
        A recording made with --record replays its journal (FILE.journal): the same labels, the same merged and
        dropped bins, from the same starting weights, so predictions and weights come out bit for bit the same.

          --speed S             1 = real time (default), 4 = four times faster, max = as fast as the learner goes
          --label-file CSV      labelled intervals (start_us,end_us,label, or Gesture's class,startTime_usec,…)
          --resume CKPT         continue a stopped session from its running checkpoint (--save)
          --no-journal          ignore FILE.journal and use the options given

        \(SessionOptions.usage)
        \(WebOptions.usage)

        Examples:
          ottt replay user01_fluorescent.aedat --learn --speed max --reset label
          ottt replay session.aedat4 --speed max --json > predictions.jsonl
          ottt replay long.aedat4 --learn --label-file labels.csv --save run.safetensors   (Ctrl-C, later:)
          ottt replay long.aedat4 --resume run.safetensors --save run.safetensors
        """
    }

    let path: String
    let speed: ReplaySpeed
    let labelFile: String?
    let resume: String?
    let useJournal: Bool
    var options: SessionOptions
    let web: WebOptions?

    init(arguments: Arguments) throws {
        var a = arguments
        speed = try a.option("speed", default: .factor(1)) { ReplaySpeed(parsing: $0) }
        labelFile = try a.option("label-file")
        resume = try a.option("resume")
        useJournal = !a.flag("no-journal")
        web = try WebOptions.parse(&a)
        options = try SessionOptions(&a)
        path = try a.positional("a recording to replay")
        try a.finish()
        if resume != nil && options.model != nil { throw UsageError("--resume continues a checkpoint; --model starts from one: pick one") }
    }

    func run() throws {
        let source: any EventFileReader
        do { source = try EventFile.open(path: path) } catch { throw CommandFailure("\(error)") }
        var start: LearnerStart? = resume.map { .resume($0) }
        var labels: LabelFeed = .none
        let journalPath = SessionJournal.path(forRecording: path)
        if useJournal && resume == nil && FileManager.default.fileExists(atPath: journalPath) {
            let journal: SessionJournal
            do { journal = try SessionJournal.read(path: journalPath) } catch { throw CommandFailure("\(error)") }
            if !journal.isComplete { printError("ottt: \(journalPath) has no end line (the session died); replaying what it holds") }
            printError("ottt: replaying the session journal \(journalPath) (--no-journal to ignore it)")
            start = .journal(journal, directory: (journalPath as NSString).deletingLastPathComponent)
        } else if let schedule = try labelSchedule() {
            labels = .schedule(schedule)
        }
        var plan = try options.plan(sourceName: path, start: start, whenBehind: .block)
        plan.labels = labels
        plan.pace = speed
        try SessionConsole(options: options, title: "replay \((path as NSString).lastPathComponent)", web: web)
            .run(source: source, plan: plan)
    }

    /// The label file given, or DVS128 Gesture's `NAME_labels.csv` beside `NAME.aedat` (unless a teacher gives the
    /// labels).
    private func labelSchedule() throws -> LabelSchedule? {
        var file = labelFile
        if file == nil && !options.teach && options.teachFrom == nil {
            let beside = ((path as NSString).deletingPathExtension) + "_labels.csv"
            if FileManager.default.fileExists(atPath: beside) {
                file = beside
                printError("ottt: labels from \(beside)")
            }
        }
        guard let file else { return nil }
        do { return try LabelSchedule.read(path: file, names: options.settings.labelNames) } catch { throw CommandFailure("\(error)") }
    }
}
