import Foundation
import DVSEvents
import EventFormats

/// `ottt convert IN OUT`: any readable format to any writable one, streaming chunk by chunk.
struct ConvertCommand: Command {
    static let name = "convert"
    static let abstract = "Convert a recording to another format (AEDAT 4 with LZ4/ZSTD, AEDAT 2.0 DVS128, …)."
    static var usage: String { """
    usage: ottt convert IN OUT [--format F] [--to F] [--compression C] [--convention C] [--sensor WxH] [--time-unit U]
                               [--drop-backwards] [--from D] [--until D] [--area X,Y,W,H]

    --format F       IN's format when sniffing cannot tell
    --to F           OUT's format (default: from OUT's extension; csv for -); writable: \(EventFile.writableFormats.map(\.rawValue).joined(separator: ", "))
    --compression C  AEDAT 4 packet compression: \(WriteOptions.Compression.allCases.map(\.rawValue).joined(separator: ", ")) (default lz4)
    --convention C   DVS128 orientation/polarity of AEDAT 1/2 input: \(DVS128Convention.allCases.map(\.rawValue).joined(separator: ", "))
    \(Arguments.inputUsage)
    \(CropOptions.usage)

    OUT appears only once complete. Progress (rate, ETA) goes to stderr when it is a terminal.
    IN - reads stdin, OUT - writes stdout (docs/FORMATS.md, "Pipes"): CSV (t,x,y,p, the default for -) or
    EVT 2.0 (--to evt2), so ottt composes with other tools; a reader that stops early (| head) ends it quietly.
    \(Arguments.stdinUsage)

    Examples (after `ottt synth --task digits --samples 10 --stream --out data/stream`):
      ottt convert data/stream/stream.aedat4 /tmp/stream.aedat4 --compression zstd
      ottt convert data/stream/stream.aedat4 /tmp/stream.csv
      ottt convert /tmp/stream.csv /tmp/again.aedat4 --sensor 32x32 --time-unit us
      ottt convert data/stream/stream.aedat4 /tmp/cropped.aedat4 --from 100ms --until 300ms --area 8,8,16,16
    Pipes: `ottt convert data/stream/stream.aedat4 - | head`, `cat /tmp/stream.csv | ottt convert - /tmp/piped.aedat4`
    """ }

    let input: String
    let output: String
    let inputFormat: EventFileFormat?
    let outputFormat: EventFileFormat
    let readOptions: ReadOptions
    let writeOptions: WriteOptions
    let crop: CropOptions

    init(arguments: Arguments) throws {
        var a = arguments
        inputFormat = try a.eventFileFormat()
        let to = try a.eventFileFormat("to")
        var w = WriteOptions()
        w.compression = try a.option("compression", default: .lz4) { WriteOptions.Compression(rawValue: $0) }
        writeOptions = w
        readOptions = try a.readOptions()
        crop = try CropOptions(&a)
        input = try a.positional("an IN file")
        output = try a.positional("an OUT file")
        try a.finish()
        let standard: EventFileFormat? = StandardStreams.isStream(output) ? .csv : nil
        guard let format = to ?? standard ?? EventFileFormat(extensionOf: output) else {
            throw UsageError("cannot tell OUT's format from '\(output)': give --to F")
        }
        guard EventFile.writableFormats.contains(format) else {
            throw UsageError("cannot write \(format.displayName) (writable: \(EventFile.writableFormats.map(\.rawValue).joined(separator: ", ")))")
        }
        if StandardStreams.isStream(output) && !format.streamsThroughPipes {
            let piped = EventFile.writableFormats.filter(\.streamsThroughPipes).map(\.rawValue).joined(separator: ", ")
            throw UsageError("cannot write \(format.displayName) to stdout: it patches its header when finished (to stdout: \(piped))")
        }
        outputFormat = format
    }

    /// Converts and returns the number of events written.
    @discardableResult
    func convert(progress: ProgressLine = ProgressLine("convert")) throws -> Int {
        let reader = try EventFile.open(path: input, format: inputFormat, options: readOptions)
        var cropper = try crop.crop(sensor: reader.info.sensor)
        let writer = try EventFile.create(path: output, format: outputFormat,
                                          sensor: cropper?.sensor(cropping: reader.info.sensor) ?? reader.info.sensor,
                                          options: writeOptions)
        let chunk = EventBuffer(), ordered = EventBuffer(), kept = EventBuffer()
        // Writers need time order; a swapped pair in another tool's file is put back in order (bounded window).
        let window = TimeOrderWindow()
        var events = 0
        let position = reader as? any ReadProgress
        while try reader.read(into: chunk) {
            window.push(chunk, into: ordered)
            let out = cropper.applied(to: ordered, scratch: kept)
            try writer.write(out)
            events += out.count
            if let position { progress.update(done: position.bytesRead, total: position.fileSize, items: events) }
            if cropper.isPastEnd { break }
        }
        window.finish(into: ordered)
        let out = cropper.applied(to: ordered, scratch: kept)
        try writer.write(out)
        events += out.count
        try writer.finish()
        if let summary = window.summary { printError("ottt convert: warning: \(StandardStreams.name(ofInput: input)): \(summary)") }
        progress.finish()
        if let damage = (reader as? any DamageReporting)?.damage { printError("ottt: \(StandardStreams.name(ofInput: input)): \(damage)") }
        noteUnindexed(writer, path: output)
        return events
    }

    func run() throws {
        guard !StandardStreams.isStream(output) else {
            // stdout carries the events; a reader that went away (`| head`) ends the conversion, not an error.
            do { try convert() } catch let error as EventFormatError where error.kind == .outputClosed {}
            return
        }
        let n = try convert()
        print("\(input) → \(output) (\(outputFormat.displayName)): \(n) events")
    }
}

/// Says so on stderr when an AEDAT 4.0 file was finished without its data table (it outgrew
/// `WriteOptions.indexLimit`): still complete, but readers must scan it.
func noteUnindexed(_ writer: any EventFileWriter, path: String) {
    guard let aedat4 = writer as? AEDAT4Writer, !aedat4.isIndexed else { return }
    printError("ottt: note: \(path) outgrew the packet index (\(WriteOptions().indexLimit) packets) and was written without its data table; readers scan its packets instead")
}

extension EventFileFormat {
    /// The format a file name's extension suggests for writing (`.aedat4`, `.aedat`, `.csv`, `.raw` as EVT 3.0).
    init?(extensionOf path: String) {
        switch path.split(separator: "/").last?.split(separator: ".").last?.lowercased() {
        case "aedat4": self = .aedat4
        case "aedat": self = .aedat2
        case "csv", "txt": self = .csv
        case "raw": self = .evt3
        case "dat": self = .dat
        case "bin": self = .nmnist
        default: return nil
        }
    }
}
