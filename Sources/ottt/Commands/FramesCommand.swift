import Foundation
import DVSEvents
import EventFormats
import EventBinning
import InputLimits
import Pipeline

/// `ottt frames FILE --bins T --out DIR`: the frames a recording makes, as PNG images, and a summary line.
struct FramesCommand: Command {
    static let name = "frames"
    static let abstract = "Bin a recording into frames and write them as PNG images (ON orange, OFF blue)."
    static let usage = """
    usage: ottt frames FILE --steps T [--by count|time] [--tail spikingjelly|tonic] --out DIR
           ottt frames FILE --window DURATION [--start TIME] --out DIR
           options for both: [--size S] [--resize paper|clean] [--binary] [--zoom Z] [--format F]
                             [--denoise DURATION] [--refractory DURATION] [--sensor WxH] [--time-unit U]
                             [--from D] [--until D] [--area X,Y,W,H]

    --steps T       T frames (time steps): by event count (default; SpikingJelly split_by='number', the last
                    frame takes the remainder) or --by time (T equal windows; --tail tonic drops the leftover
                    microseconds' events) (default --by count, --tail spikingjelly)
    --window D      frames of D (e.g. 50ms) on a fixed grid from the first event (or --start, a time like 5s)
    --size S        resize so the shorter side is S (the paper uses 48; default: no resize); --resize paper
                    reproduces the official pipeline (uint8 wrap, Pillow's premultiplied LA bilinear), clean
                    (default) averages areas
    --binary        1 where any event fell instead of counts
    --denoise D     drop events without a neighbour event in the last D, e.g. 1ms (background-activity filter)
    --refractory D  drop events within D of the last kept event at the same pixel
    --from D, --until D, --area X,Y,W,H: crop as `ottt convert` does (before the filters; the frames are W×H)
    --zoom Z        magnify each image Z times (default 1)
    --format F      the file's format when sniffing cannot tell (\(EventFileFormat.allCases.map(\.rawValue).joined(separator: ", ")))
    \(Arguments.inputUsage)

    Writes DIR/frame_000_0us-50000us.png … (the frame's number, then the time it covers in µs after the first
    event) on one brightness scale, removing the frame PNGs an earlier run left there (and no other file), and
    prints one summary line.
    Old names, for this release: --bins (--steps), --mode (--resize), --window-us, --start-us, --denoise-us,
    --refractory-us (numbers of µs).

    Example (after `ottt synth --task digits --samples 10 --stream --out data/stream`):
      ottt frames data/stream/stream.aedat4 --steps 10 --size 48 --resize paper --out /tmp/frames
    """

    let path: String
    let format: EventFileFormat?
    let readOptions: ReadOptions
    let slicing: FrameSlicing
    let value: FrameValue
    let size: Int?
    let mode: ResizeMode
    let zoom: Int
    let out: String
    let denoise: Int64?
    let refractory: Int64?
    let crop: CropOptions

    init(arguments: Arguments) throws {
        var a = arguments
        a.rename("bins", to: "steps")
        a.rename("mode", to: "resize")
        for name in ["window", "start", "denoise", "refractory"] {
            a.rename(name + "-us", to: name, convert: Arguments.microseconds)
        }
        let positive: (String) -> Int? = { Int($0).flatMap { $0 > 0 ? $0 : nil } }
        let bins: Int? = try a.option("steps").map { s in
            guard let n = positive(s) else { throw UsageError("--steps: cannot use '\(s)' (a positive count)") }
            return n
        }
        let window = try a.duration("window")
        let start = try a.duration("start", positive: false)
        let by = try a.option("by", default: "count") { ["count", "time"].contains($0) ? $0 : nil }
        let tail = try a.option("tail", default: TimeBinTail.lastFrameTakesRest) { TimeBinTail(rawValue: $0) }
        switch (bins, window) {
        case (let t?, nil): slicing = by == "count" ? .eventCount(frames: t) : .timeBins(frames: t, tail: tail)
        case (nil, let w?): slicing = .window(duration: w, start: start)
        case (nil, nil): throw UsageError("give --steps T or --window DURATION")
        case (_?, _?): throw UsageError("give either --steps or --window, not both")
        }
        size = try a.option("size").map { s in
            guard let n = positive(s), n <= 65_535 else { throw UsageError("--size: cannot use '\(s)' (1 to 65535 pixels)") }
            return n
        }
        mode = try a.option("resize", default: .clean) { ResizeMode(rawValue: $0) }
        zoom = try a.option("zoom", default: 1) { Int($0).flatMap { (1...64).contains($0) ? $0 : nil } }   // and the frame budget
        format = try a.eventFileFormat()
        readOptions = try a.readOptions()
        denoise = try a.duration("denoise")
        crop = try CropOptions(&a)
        refractory = try a.duration("refractory")
        value = a.flag("binary") ? .binary : .counts
        guard let o = try a.option("out") else { throw UsageError("missing --out DIR") }
        out = o
        path = try a.positional("a FILE to read")
        try a.finish()
    }

    func run() throws { print(try make()) }

    /// Writes the PNGs and returns the summary line.
    func make() throws -> String {
        let reader = try EventFile.open(path: path, format: format, options: readOptions)
        let cropped = try crop.cropped(reader)
        let source: any EventSource = cropped ?? reader
        let sensor = source.info.sensor
        let limits = Limits.current
        try limits.checkSensor(width: sensor.width, height: sensor.height, source: "declared by \(path)")
        let outSize = FramesCommand.outputSize(sensor: sensor, shorterSide: size)
        // One written image: the frame magnified, checked like a frame (a --zoom of 64 on an HD sensor is 3.7 G pixels).
        try limits.checkFrames(count: 1, height: outSize.height * zoom, width: outSize.width * zoom,
                               what: "one PNG at --zoom \(zoom)")
        if let slices = FramesCommand.fixedFrameCount(slicing) {
            try limits.checkFrames(count: slices, height: max(sensor.height, outSize.height),
                                   width: max(sensor.width, outSize.width), what: "--bins \(slices)")
        }
        var filters: [any EventFilter] = []
        if let denoise { filters.append(BackgroundActivityFilter(sensor: sensor, window: denoise)) }
        if let refractory { filters.append(RefractoryFilter(sensor: sensor, period: refractory)) }
        let events = EventBuffer()
        let chunk = EventBuffer(), passed = EventBuffer()
        var taken = 0
        while try source.read(into: chunk) {
            taken += chunk.count
            for f in filters {
                f.apply(chunk, into: passed)
                chunk.removeAll()
                chunk.append(contentsOf: passed)
            }
            events.append(contentsOf: chunk)
            // The events are held to make the frames: they count against the same budget (a zstd bomb of 671 M
            // events in 330 KB stops here, not at the kernel's OOM killer).
            try limits.check(.frameBytes, events.count.multipliedReportingOverflow(by: FramesCommand.eventBytes).partialValue,
                             "holding \(events.count) events of \(path) to make frames")
        }
        let read = cropped?.crop.seen ?? taken
        if let damage = (reader as? any DamageReporting)?.damage { printError("ottt: \(path): \(damage)") }
        if events.isEmpty && read == 0 { throw CommandFailure("\(path) holds no events") }
        let binner = EventBinner(sensor: sensor, slicing: slicing, value: value)
        let count = binner.frameCount(of: events)
        try limits.checkFrames(count: count, height: max(sensor.height, outSize.height),
                               width: max(sensor.width, outSize.width), what: "\(count) frames of \(path)")
        let (counts, report) = try binner.checkedFrames(of: events, limits: limits)
        let preprocessing = Preprocessing(resize: size.map {
            FrameResizer(mode: mode, shorterSide: $0, height: sensor.height, width: sensor.width)
        })
        let frames = preprocessing.resized(counts)
        do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) }
        catch { throw CommandFailure("cannot create \(out): \(error.localizedDescription)") }
        let stale = try FramesCommand.removeStaleFrames(in: out)
        let origin = events.t.first ?? 0
        let written = try frames.writePNGs(to: out, magnify: zoom,
                                           suffixes: binner.timeRanges(of: events).map { FramesCommand.timeName($0, after: origin) })
        let on = events.p.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        let dropped = report.events - report.binned
        let resized = size == nil ? "" : ", \(mode.rawValue) resize"
        let removers = [cropped == nil ? nil : "the crop", filters.isEmpty ? nil : "filters"].compactMap { $0 }
        let filtered = removers.isEmpty ? "" : ", \(read - events.count) removed by \(removers.joined(separator: " and "))"
        return ("\(StandardStreams.name(ofInput: path)): \(reader.format.displayName) \(sensor), \(read) events\(filtered), \(events.count) binned "
              + "(ON \(on), OFF \(events.count - on)"
              + (dropped > 0 ? ", \(report.outsideFrames) outside the frames, \(report.offSensor) off the sensor" : "")
              + ") → \(frames.count) frames 2×\(frames.height)×\(frames.width) by \(FramesCommand.describe(slicing))"
              + "\(resized); wrote \(written.count) PNGs to \(out)"
              + (stale > 0 ? " (removed \(stale) frame PNGs of an earlier run)" : ""))
    }

    /// Removes the frame PNGs an earlier run wrote in `directory` (`frame_NNN.png`, and `frame_NNN_Aus-Bus.png`
    /// since frames carry their time range; no other file); returns how many.
    static func removeStaleFrames(in directory: String) throws -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var removed = 0
        for name in names where isFrameName(name) {
            let path = (directory as NSString).appendingPathComponent(name)
            do { try FileManager.default.removeItem(atPath: path) } catch {
                throw CommandFailure("cannot remove the earlier frame \(path): \(error.localizedDescription)")
            }
            removed += 1
        }
        return removed
    }

    /// Whether `name` is one this command writes: `frame_`, digits, optionally `_` and a time range as `timeName`
    /// writes it, then `.png`.
    static func isFrameName(_ name: String) -> Bool {
        name.wholeMatch(of: /frame_[0-9]+(_-?[0-9]+us--?[0-9]+us)?\.png/) != nil
    }

    /// A frame's time range in µs after `origin` (the first event) as it appears in the frame's file name:
    /// `120000us-130000us`.
    static func timeName(_ range: Range<Microseconds>, after origin: Microseconds) -> String {
        func relative(_ t: Microseconds) -> String {
            let (d, overflow) = t.subtractingReportingOverflow(origin)
            return overflow ? "\(t)" : "\(d)"
        }
        return "\(relative(range.lowerBound))us-\(relative(range.upperBound))us"
    }

    /// Bytes an event takes while held (t 8, x 2, y 2, p 1).
    static let eventBytes = 13

    /// The frame count a slicing fixes before reading (nil for windows, which depend on the times).
    static func fixedFrameCount(_ s: FrameSlicing) -> Int? {
        switch s {
        case .eventCount(let n), .timeBins(let n, _): n
        case .window: nil
        }
    }

    /// The size of the written frames: the sensor, or resized so the shorter side is `shorterSide`.
    static func outputSize(sensor: SensorSize, shorterSide: Int?) -> (height: Int, width: Int) {
        guard let s = shorterSide else { return (sensor.height, sensor.width) }
        let (h, w) = (Double(sensor.height), Double(sensor.width))
        let long = Double(s) * max(h, w) / min(h, w)
        let longSide = long < 1e15 ? Int(long) : Int.max / 64
        return h <= w ? (s, longSide) : (longSide, s)
    }

    static func describe(_ s: FrameSlicing) -> String {
        switch s {
        case .eventCount: "event count"
        case .timeBins(_, let tail): "time (\(tail.rawValue))"
        case .window(let d, _): "\(Arguments.show(d)) windows"
        }
    }
}
