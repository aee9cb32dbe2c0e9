import DVSEvents
import EventFormats
import Foundation
import Pipeline
import Training

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
          --format F            FILE's format when sniffing cannot tell
          --sensor WxH          the sensor of a file that does not state it (CSV; EVT without geometry); default:
                                the file's, else inferred from the events (as `ottt info` shows)
          --time-unit U         the unit of a CSV file's time column: ns, us (default), ms, s
          --from D, --until D, --area X,Y,W,H   learn from a part of the recording, as `ottt convert` crops: the
                                time range after the first event (label times stay the file's), and the W×H pixels
                                from column X, row Y, which become the sensor the network's input is resized from

        \(SessionOptions.usage)
        \(WebOptions.usage)

        Examples (after `ottt synth --task digits --samples 20 --stream --gap 50ms --out data/stream`; DVS128
        Gesture's user01_fluorescent.aedat finds user01_fluorescent_labels.csv beside it):
          ottt replay data/stream/stream.aedat4 --learn --speed max --reset silence:20ms
          ottt replay data/stream/stream.aedat4 --speed max --json > predictions.jsonl
          ottt replay data/stream/stream.aedat4 --learn --speed max --stop-after 2s --save run.safetensors
          ottt replay data/stream/stream.aedat4 --resume run.safetensors --speed max --save run.safetensors
          ottt replay user01_fluorescent.aedat --learn --speed max --reset label
          ottt replay data/stream/stream.aedat4 --speed max --until 2s --area 8,8,16,16
        --resume reads the labels the stopped session learned from again (its checkpoint names the file).
        """
    }

    let path: String
    let speed: ReplaySpeed
    let labelFile: String?
    let resume: String?
    let useJournal: Bool
    let format: EventFileFormat?
    let readOptions: ReadOptions
    var options: SessionOptions
    let web: WebOptions?
    let crop: CropOptions

    init(arguments: Arguments) throws {
        var a = arguments
        speed = try a.option("speed", default: .factor(1)) { ReplaySpeed(parsing: $0) }
        labelFile = try a.option("label-file")
        resume = try a.option("resume")
        useJournal = !a.flag("no-journal")
        format = try a.eventFileFormat()
        var read = try a.readOptions()
        (read.stopAtDamage, read.readAhead) = (false, false)   // paced reading: a damaged file is an error, as before
        readOptions = read
        web = try WebOptions.parse(&a)
        crop = try CropOptions(&a)
        options = try SessionOptions(&a)
        path = try a.positional("a recording to replay")
        try a.finish()
        if resume != nil && options.model != nil { throw UsageError("--resume continues a checkpoint; --model starts from one: pick one") }
    }

    func run() throws {
        let file: any EventFileReader
        do { file = try EventFile.open(path: path, format: format, options: readOptions) } catch { throw CommandFailure("\(error)") }
        var options = self.options
        let source = try crop.session(file, settings: &options.settings)
        var start: LearnerStart? = resume.map { .resume($0) }
        var labels: LabelFeed = .none
        let journalPath = SessionJournal.path(forRecording: path)
        if useJournal && resume == nil && FileManager.default.fileExists(atPath: journalPath) {
            if !crop.isEmpty {
                throw UsageError("\(journalPath) replays the session exactly as recorded, from the events its learner saw: "
                                 + "drop --from, --until and --area, or add --no-journal")
            }
            let journal: SessionJournal
            do { journal = try SessionJournal.read(path: journalPath) } catch { throw CommandFailure("\(error)") }
            if !journal.isComplete { printError("ottt: \(journalPath) has no end line (the session died); replaying what it holds") }
            printError("ottt: replaying the session journal \(journalPath) (--no-journal to ignore it)")
            start = .journal(journal, directory: (journalPath as NSString).deletingLastPathComponent)
        } else if let (schedule, file) = try labelSchedule() {
            labels = .schedule(schedule)
            options.settings.labelFile = ReplayCommand.absolute(file)
            try options.sizeClasses(for: schedule)
        } else if let resume, !options.teaches {
            labels = try ReplayCommand.labelsOfStoppedSession(resume)
        }
        if case .none = labels, options.settings.learn, !options.teaches, start == nil {
            throw UsageError("--learn needs labels: give --label-file CSV (start_us,end_us,label), --teach-from FILE "
                             + "or a NAME_labels.csv beside the recording")
        }
        var plan = try options.plan(sourceName: path, start: start, whenBehind: .block)
        plan.labels = labels
        plan.pace = speed
        try SessionConsole(options: options, title: "replay \((path as NSString).lastPathComponent)", web: web)
            .run(source: source, plan: plan)
    }

    /// The labels a stopped session learned from (its running checkpoint names the file), read again; a session
    /// that learned from a teacher cannot be continued without one (a resumed replay that only predicted, one
    /// class for every bin, was the old silent result).
    static func labelsOfStoppedSession(_ checkpoint: String) throws -> LabelFeed {
        let position: RunningCheckpoint.Position?
        do { position = try RunningCheckpoint.position(in: try Checkpoint.load(from: checkpoint).metadata, file: checkpoint) }
        catch { throw CommandFailure("\(error)") }
        guard let settings = position?.settings, settings.learn else { return .none }
        guard let file = settings.labelFile else {
            throw UsageError("\(checkpoint) was learning from a teacher when it stopped: give the labels again with "
                             + "--teach-from FILE or --label-file CSV")
        }
        guard FileManager.default.fileExists(atPath: file) else {
            throw UsageError("\(checkpoint) was learning from \(file), which is gone: give --label-file CSV")
        }
        printError("ottt: labels from \(file), as when \(checkpoint) was saved (--label-file to give others)")
        do { return .schedule(try LabelSchedule.read(path: file, names: settings.labelNames)) } catch { throw CommandFailure("\(error)") }
    }

    /// `path` from the working directory, so that a checkpoint names the same file from anywhere.
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }

    /// The label file given, or DVS128 Gesture's `NAME_labels.csv` beside `NAME.aedat` (unless a teacher gives the
    /// labels).
    private func labelSchedule() throws -> (LabelSchedule, String)? {
        var file = labelFile
        if file == nil && !options.teach && options.teachFrom == nil {
            let beside = ((path as NSString).deletingPathExtension) + "_labels.csv"
            if FileManager.default.fileExists(atPath: beside) {
                file = beside
                printError("ottt: labels from \(beside)")
            }
        }
        guard let file else { return nil }
        do { return (try LabelSchedule.read(path: file, names: options.settings.labelNames), file) } catch { throw CommandFailure("\(error)") }
    }
}
