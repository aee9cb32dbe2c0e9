import DVSEvents
import DVSSimulator
import Datasets
import EventFormats
import Foundation
import Pictures

/// `ottt synth`: writes a labelled dataset of simulated recordings (a `RecordingFolder` of AEDAT 4 files).
struct SynthCommand: Command {
    static let name = "synth"
    static let abstract = "Simulate a labelled DVS dataset (digits, motion, or your pictures) as AEDAT 4 files."
    static let usage = """
    usage: ottt synth --task digits|motion --out DIR [--samples N] [--stream] [OPTIONS]
           ottt synth --images DIR --out DIR [--samples N] [--stream] [OPTIONS]

    Renders scenes at a high frame rate and turns them into events with a DVS pixel model (log intensity,
    mismatched ON/OFF thresholds, refractory period, leak and shot noise, event times interpolated between frames).
    Writes DIR/<class>/<n>.aedat4, one recording per sample, plus DIR/labels.csv
    (file,label,class,start_us,end_us,events) and DIR/classes.txt. The same seed gives the same files.
    With --stream, writes the samples back to back into one recording instead, DIR/stream.aedat4, with
    DIR/stream_labels.csv (start_us,end_us,label; each sample's events lie in [start_us, end_us)) and
    DIR/classes.txt: a labelled stream for `ottt replay --learn`.

    Tasks:
      digits            N-MNIST-like: a digit 0-9 with random scale, rotation, shear and shift on a textured
                        background, seen through three saccades (10 classes)
      motion            a pattern of bright and dark blobs moving in one of 8 directions, or turning clockwise or
                        anticlockwise (10 classes); one frame of events cannot tell them apart
      --images DIR      N-MNIST-style saccade recordings of your pictures: PNG, PGM or PPM files (any PNG colour
                        type and bit depth; P2, P3, P5, P6); each subfolder of DIR is a class, pictures directly in
                        DIR form one class

    Options:
      --out DIR         where to write (created; must not already hold a labels.csv)
      --samples N       recordings to write (default 100 for a task; one per picture for --images)
      --seed S          seed of the scenes, the noise and the sensor's mismatch (default 1)
      --size N|WxH      sensor size in pixels (default 32, i.e. 32x32)
      --duration D      length of a sample (default 300ms)
      --frame-rate HZ   rendering rate (default 1000)
      --threshold C     nominal ON and OFF contrast threshold in log intensity (default 0.2, sigma 0.03)
      --leak-hz R       background activity per pixel (default 0.1)
      --noise-hz R      shot noise per pixel in the dark (default 0.5)
      --compression C   none, lz4, lz4-high, zstd or zstd-high (default lz4)
      --stream          one labelled recording instead of one file per sample
      --gap D           with --stream: silence between samples (default 0s)
      --json            print the summary as one JSON object

    Examples:
      ottt synth --task digits --samples 1000 --out data/digits
      ottt synth --task motion --samples 200 --seed 7 --size 48 --out data/motion
      ottt synth --images photos/ --out data/photos
      ottt synth --task digits --samples 50 --stream --out data/digit-stream
    """

    enum Source {
        case task(SyntheticTask)
        case images(String)
    }

    let source: Source
    let out: String
    let samples: Int?
    let seed: UInt64
    let settings: SimulationSettings
    let compression: WriteOptions.Compression
    /// Nil: one file per sample; otherwise one stream with this much silence between samples.
    let streamGap: Microseconds?
    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        let taskName = try a.option("task")
        let images = try a.option("images")
        switch (taskName, images) {
        case let (name?, nil):
            guard let task = SyntheticTask.named(name) else {
                throw UsageError("--task: no task '\(name)' (tasks: \(SyntheticTask.builtIn.map(\.name).joined(separator: ", ")))")
            }
            source = .task(task)
        case let (nil, dir?):
            source = .images(dir)
        case (nil, nil):
            throw UsageError("give --task NAME or --images DIR")
        default:
            throw UsageError("give either --task or --images, not both")
        }
        a.rename("duration-ms", to: "duration", convert: Arguments.milliseconds)
        a.rename("gap-ms", to: "gap", convert: Arguments.milliseconds)
        guard let out = try a.option("out") else { throw UsageError("--out DIR is required") }
        self.out = out
        samples = try SynthCommand.optionalNumber(&a, "samples", 1...10_000_000)
        seed = try a.option("seed", default: 1) { UInt64($0) }
        let size = try a.option("size", default: SensorSize(width: 32, height: 32), SynthCommand.parseSize)
        let duration = try a.duration("duration", default: 300_000)
        guard duration <= 600_000_000 else { throw UsageError("--duration: at most 10min a sample") }
        let rate = try a.option("frame-rate", default: 1000) { Int($0).flatMap { (10...1_000_000).contains($0) ? $0 : nil } }
        var pixel = PixelParameters()
        let threshold = try a.option("threshold", default: pixel.onThreshold) { Float($0).flatMap { $0 >= 0.01 && $0 <= 5 ? $0 : nil } }
        pixel.onThreshold = threshold
        pixel.offThreshold = threshold
        pixel.leakRate = try a.option("leak-hz", default: pixel.leakRate) { Double($0).flatMap { $0 >= 0 && $0 <= 1000 ? $0 : nil } }
        pixel.shotNoiseRate = try a.option("noise-hz", default: pixel.shotNoiseRate) { Double($0).flatMap { $0 >= 0 && $0 <= 1000 ? $0 : nil } }
        settings = SimulationSettings(sensor: size, pixel: pixel, frameInterval: Microseconds(1_000_000 / rate),
                                      sampleDuration: duration)
        compression = try a.option("compression", default: .lz4) { WriteOptions.Compression(rawValue: $0) }
        let gap = try a.duration("gap", positive: false)
        if let gap, gap > 600_000_000 { throw UsageError("--gap: at most 10min") }
        let stream = a.flag("stream")
        if gap != nil && !stream { throw UsageError("--gap needs --stream") }
        streamGap = stream ? gap ?? 0 : nil
        json = a.flag("json")
        try a.finish()
    }

    /// An optional integer option within `range`.
    static func optionalNumber(_ a: inout Arguments, _ name: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let text = try a.option(name) else { return nil }
        guard let n = Int(text), range.contains(n) else { throw UsageError("--\(name): cannot use '\(text)'") }
        return n
    }

    /// "32" or "48x32" (width x height), 1…2000 per side (the pixel model's limit is 4 M pixels).
    static func parseSize(_ s: String) -> SensorSize? {
        let parts = s.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0.map { (1...2000).contains($0) } ?? false }) else {
            return nil
        }
        return SensorSize(width: parts[0]!, height: parts[parts.count - 1]!)
    }

    /// What a run wrote.
    struct Summary {
        var task: String
        var classes: Int
        var samples: Int
        var events: Int
        var seconds: Double
        /// Simulated time of all samples, in seconds.
        var simulated: Double
    }

    func run() throws {
        let s = try synthesize(progress: ProgressLine("synth"))
        let perSample = String(format: "%.0f", Double(s.events) / Double(s.samples))
        let rate = String(format: "%.0f", Double(s.events) / s.simulated)
        let speed = String(format: "%.1f", Double(s.samples) / s.seconds)
        if json {
            print("{\"task\": \"\(s.task)\", \"samples\": \(s.samples), \"classes\": \(s.classes), "
                  + "\"sensor\": \"\(settings.sensor)\", \"seed\": \(seed), \"events\": \(s.events), "
                  + "\"events_per_sample\": \(perSample), \"events_per_s\": \(rate), "
                  + "\"seconds\": \(String(format: "%.3f", s.seconds)), \"samples_per_s\": \(speed)}")
        } else {
            print("wrote \(s.samples) \(s.task) samples (\(s.classes) classes, \(settings.sensor)) to \(out)")
            print("  \(s.events) events, \(perSample) per sample, \(rate) events/s of simulated time")
            let labels = streamGap == nil ? RecordingFolder.labelsFile : SynthCommand.streamLabelsFile
            print(String(format: "  %.2f s, %@ samples/s; labels in %@", s.seconds, speed,
                         (out as NSString).appendingPathComponent(labels)))
        }
    }

    /// Simulates the samples and writes the recording folder.
    func synthesize(progress: ProgressLine) throws -> Summary {
        let task: SyntheticTask
        let count: Int
        switch source {
        case let .task(t):
            task = t
            count = samples ?? 100
        case let .images(dir):
            let pictures = try PictureFolder.load(dir)
            task = .pictures(pictures.images, labels: pictures.labels, classNames: pictures.classNames)
            count = samples ?? pictures.images.count
        }
        var options = WriteOptions()
        options.compression = compression
        let clock = ContinuousClock()
        let started = clock.now
        let total: Int
        if let streamGap {
            total = try writeStream(task, count: count, gap: streamGap, options: options, progress: progress)
        } else {
            total = try writeFolder(task, count: count, options: options, progress: progress)
        }
        progress.finish()
        return Summary(task: task.name, classes: task.classCount, samples: count, events: total,
                       seconds: max((clock.now - started).seconds, 1e-9),
                       simulated: Double(count) * Double(settings.sampleDuration) * 1e-6)
    }

    /// One file per sample in a `RecordingFolder`; returns the number of events.
    func writeFolder(_ task: SyntheticTask, count: Int, options: WriteOptions, progress: ProgressLine) throws -> Int {
        let writer = try RecordingFolderWriter(directory: out, classNames: task.classNames, sensor: settings.sensor,
                                               format: .aedat4, options: options)
        var generator = SampleGenerator(task: task, settings: settings, seed: seed)
        let events = EventBuffer()
        var total = 0
        for i in 0..<count {
            events.removeAll()
            let span = generator.generate(sample: i, startingAt: 0, into: events)
            try writer.add(events, label: span.label, start: span.start, end: span.end)
            total += events.count
            progress.update(done: Int64(i + 1), total: Int64(count), items: total)
        }
        try writer.finish()
        return total
    }

    static let streamFile = "stream.aedat4"
    static let streamLabelsFile = "stream_labels.csv"

    /// All samples in one recording, read from a `SyntheticStream`, with its label file; returns the number of events.
    func writeStream(_ task: SyntheticTask, count: Int, gap: Microseconds, options: WriteOptions,
                     progress: ProgressLine) throws -> Int {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        func path(_ name: String) -> String { (out as NSString).appendingPathComponent(name) }
        let stream = SyntheticStream(task: task, settings: settings, seed: seed, sampleCount: count, gap: gap,
                                     chunkDuration: settings.sampleDuration)
        let writer = try EventFile.create(path: path(SynthCommand.streamFile), format: .aedat4,
                                          sensor: settings.sensor, options: options)
        var labels = "start_us,end_us,label\n"
        var last: SampleSpan?
        var total = 0
        let chunk = EventBuffer()
        while try stream.read(into: chunk) {
            try writer.write(chunk)
            total += chunk.count
            if let span = stream.chunkSpan, span != last {
                labels += "\(span.start),\(span.end),\(span.label)\n"
                last = span
                progress.update(done: Int64(span.index + 1), total: Int64(count), items: total)
            }
        }
        try writer.finish()
        for (name, text) in [(RecordingFolder.classesFile, task.classNames.joined(separator: "\n") + "\n"),
                             (SynthCommand.streamLabelsFile, labels)] {
            let output = try FileOutput(path: path(name))
            try output.write(text)
            try output.finish()
        }
        return total
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

/// The pictures of `ottt synth --images DIR`: each subfolder is a class; pictures directly in DIR form a class
/// named after DIR.
struct PictureFolder {
    var images: [GrayImage] = []
    var labels: [Int] = []
    var classNames: [String] = []

    static func load(_ dir: String) throws -> PictureFolder {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandFailure("--images \(dir): not a directory")
        }
        let names = try fm.contentsOfDirectory(atPath: dir).sorted()
        var groups: [(String, [String])] = []
        var loose: [String] = []
        var skipped: [String] = []
        let isPicture = PictureFile.isPicture
        for name in names where !name.hasPrefix(".") {
            let path = (dir as NSString).appendingPathComponent(name)
            var sub: ObjCBool = false
            _ = fm.fileExists(atPath: path, isDirectory: &sub)
            if sub.boolValue {
                let files = try fm.contentsOfDirectory(atPath: path).sorted().filter { !$0.hasPrefix(".") }
                skipped += files.filter { !isPicture($0) }
                let pictures = files.filter(isPicture).map { (path as NSString).appendingPathComponent($0) }
                if !pictures.isEmpty { groups.append((name, pictures)) }
            } else if isPicture(name) {
                loose.append(path)
            } else {
                skipped.append(name)
            }
        }
        if !loose.isEmpty {
            let own = ((dir as NSString).standardizingPath as NSString).lastPathComponent
            groups.insert((own.isEmpty || own == "/" ? "pictures" : own, loose), at: 0)
        }
        guard !groups.isEmpty else {
            let note = skipped.isEmpty ? "" : " (skipped \(skipped.count) other files such as \(skipped[0]))"
            throw CommandFailure("--images \(dir): no pictures found (PGM, PPM or PNG)\(note)")
        }
        if !skipped.isEmpty {
            printError("ottt synth: skipped \(skipped.count) files that are not PGM, PPM or PNG (such as \(skipped[0]))")
        }
        var folder = PictureFolder()
        for (label, group) in groups.enumerated() {
            // Class names become folder names and CSV fields.
            folder.classNames.append(group.0.replacingOccurrences(of: ",", with: "_"))
            for path in group.1 {
                folder.images.append(try PictureFile.read(path: path))
                folder.labels.append(label)
            }
        }
        return folder
    }
}
