import DVSEvents

/// Opening and creating event files: the one place that maps a format to its reader and writer.
public enum EventFile {
    /// Guesses the format from the first bytes of the file (and its extension where the bytes cannot tell).
    /// On stdin (`-`) the bytes looked at stay for the reader that follows.
    public static func sniff(path: String) throws(EventFormatError) -> EventFileFormat {
        let input = try FileInput(path: path, windowSize: 1 << 16)
        _ = try input.need(64)
        let head = Array(UnsafeRawBufferPointer(start: input.bytes, count: input.available))
        return try sniff(head: head, path: input.path)
    }

    static func sniff(head: [UInt8], path: String) throws(EventFormatError) -> EventFileFormat {
        guard !head.isEmpty else {
            throw EventFormatError(.truncated, file: path, offset: 0, expected: "an event file", found: "an empty file (0 bytes)")
        }
        func starts(_ s: String) -> Bool { head.starts(with: Array(s.utf8)) }
        if starts("#!AER-DAT4") { return .aedat4 }
        if starts("#!AER-DAT3") { return .aedat3 }
        if starts("#!AER-DAT2") { return .aedat2 }
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        if starts("%") {
            if ext == "dat" { return .dat }
            let text = String(decoding: head.prefix(4096), as: UTF8.self).lowercased()
            if text.contains("evt 3") || text.contains("evt3") { return .evt3 }
            if text.contains("evt 2") || text.contains("evt2") { return .evt2 }
            if ext == "raw" { return .evt3 }
            return .dat
        }
        if starts("#") && (ext == "aedat" || ext == "dat") { return .aedat1 }
        switch ext {
        case "bin": return .nmnist
        case "csv", "txt": return .csv
        case "dat": return .dat
        default:
            if looksLikeText(head) && head.contains(UInt8(ascii: ",")) { return .csv }
            let shown = head.prefix(16).map { String($0, radix: 16) }.joined(separator: " ")
            throw EventFormatError(.unknownFormat, file: path, offset: 0,
                                   expected: "an AEDAT, EVT, DAT, N-MNIST or CSV file (or --format)",
                                   found: "first bytes \(shown)")
        }
    }

    /// Whether `head` is plain text (printable ASCII, tabs and line ends): a CSV file whose name cannot tell.
    static func looksLikeText(_ head: [UInt8]) -> Bool {
        head.prefix(4096).allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// Opens a file for streaming reads (`-`: standard input). `format` nil means sniff it.
    public static func open(path: String, format requested: EventFileFormat? = nil,
                            options: ReadOptions = ReadOptions()) throws(EventFormatError) -> any EventFileReader {
        let format: EventFileFormat
        if let given = requested { format = given } else { format = try sniff(path: path) }
        if StandardStreams.isStream(path) && !format.streamsThroughPipes {
            throw EventFormatError(.unsupported, file: StandardStreams.inputName, offset: nil,
                                   expected: "a format read front to back (\(EventFileFormat.pipeFormats))",
                                   found: "\(format.displayName), which needs a file to seek in")
        }
        do {
            return try reader(path: path, format: format, requested: requested, options: options)
        } catch {
            var named = error   // readers that name the path they were given: `-` is stdin to a user
            named.file = StandardStreams.name(ofInput: named.file)
            throw named
        }
    }

    private static func reader(path: String, format: EventFileFormat, requested: EventFileFormat?,
                               options: ReadOptions) throws(EventFormatError) -> any EventFileReader {
        switch format {
        case .aedat1, .aedat2:
            // A format the user names wins over the header's (a header-less AEDAT 2.0 file sniffs as 1.0).
            return try AEDAT2Reader(path: path, options: options, version: requested.map { $0 == .aedat1 ? 1 : 2 })
        case .aedat3: return try AEDAT3Reader(path: path, options: options)
        case .aedat4: return try AEDAT4Reader(path: path, options: options)
        case .evt2, .evt3: return try EVTReader.open(path: path, format: format, options: options)
        case .dat: return try DATReader.open(path: path, options: options)
        case .nmnist: return try NMNISTReader.open(path: path, options: options)
        case .csv: return try CSVReader(path: path, options: options)
        }
    }

    /// Formats that can be written.
    public static var writableFormats: [EventFileFormat] { [.aedat4, .aedat2, .evt2, .evt3, .csv] }

    /// Creates a writer for `format` at `path` (`-`: standard output, for formats that stream through pipes).
    public static func create(path: String, format: EventFileFormat, sensor: SensorSize,
                              options: WriteOptions = WriteOptions()) throws(EventFormatError) -> any EventFileWriter {
        if StandardStreams.isStream(path) && !format.streamsThroughPipes {
            throw EventFormatError(.unsupported, file: StandardStreams.outputName, offset: nil,
                                   expected: "a format written front to back (\(EventFileFormat.pipeFormats))",
                                   found: "\(format.displayName), which patches its header when finished")
        }
        switch format {
        case .aedat4: return try AEDAT4Writer(path: path, sensor: sensor, options: options)
        case .aedat2: return try AEDAT2Writer(path: path, sensor: sensor)
        case .evt2: return try EVT2Writer(path: path, sensor: sensor)
        case .evt3: return try EVT3Writer(path: path, sensor: sensor)
        case .csv: return try CSVWriter(path: path, sensor: sensor)
        default:
            throw EventFormatError(.unsupported, file: path, offset: nil,
                                   expected: "a writable format", found: format.displayName)
        }
    }
}
