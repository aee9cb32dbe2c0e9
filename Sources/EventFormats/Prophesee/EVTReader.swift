import DVSEvents

/// Opens Prophesee raw files (EVT 2.0 and EVT 3.0): the `%` header, then the word stream.
///
/// The sensor size comes from the header (`% geometry` or `% format …;width=;height=`); when the header has
/// none, from `ReadOptions.sensor`, then from `% plugin_name`, then the default 1280×720 (Gen4/IMX636, the largest
/// common Prophesee sensor). `StreamInfo` says which in its `sensor source` property.
///
/// Only a size the file declares (or the reader is given) drops events outside it, counted. A guessed size never
/// does: the file is scanned once first and the guess widened to the events seen (an independent writer's HD
/// events under a Gen3 plugin name), and the `sensor source` says so.
enum EVTReader {
    static let defaultSensor = SensorSize(width: 1280, height: 720)
    /// The address space of EVT 2.0 and 3.0 (11-bit x and y).
    static let addressSpace = SensorSize(width: 2048, height: 2048)

    static func open(path: String, format: EventFileFormat,
                     options: ReadOptions) throws(EventFormatError) -> any EventFileReader {
        precondition(format == .evt2 || format == .evt3, "EVTReader opens EVT files, not \(format)")
        let input = try FileInput(path: path)
        let header = try PropheseeHeader.read(input)
        try check(header, is: format, path: path)
        var (sensor, source) = try header.sensor(options: options, fallback: defaultSensor, maxSide: 2048,
                                                 path: path)
        let declared = try header.declaredSensor(maxSide: 2048, path: path) != nil || options.sensor != nil
        if !declared && input.isStandardInput {
            source += " (stdin cannot be scanned first: events outside it are skipped, counted; give --sensor)"
        } else if !declared {
            let seen = try extent(path: path, format: format, options: options)
            if seen.width > sensor.width || seen.height > sensor.height {
                sensor = SensorSize(width: max(sensor.width, seen.width), height: max(sensor.height, seen.height))
                source += ", widened to the events seen (\(sensor))"
            }
        }
        var properties = header.properties
        properties.append((key: "sensor source", value: source))
        properties.append((key: "data offset", value: "\(header.end)"))
        let info = StreamInfo(format: format.displayName, sensor: sensor, properties: properties)
        return reader(format: format, input: input, info: info, sensor: sensor, options: options)
    }

    /// The width and height holding every event of the file, 0 × 0 without events (one pass, bounded memory).
    static func extent(path: String, format: EventFileFormat,
                       options: ReadOptions) throws(EventFormatError) -> (width: Int, height: Int) {
        let input = try FileInput(path: path)
        _ = try PropheseeHeader.read(input)
        let info = StreamInfo(format: format.displayName, sensor: addressSpace)
        return EventExtent.scan(reader(format: format, input: input, info: info, sensor: addressSpace, options: options))
    }

    private static func reader(format: EventFileFormat, input: FileInput, info: StreamInfo, sensor: SensorSize,
                               options: ReadOptions) -> any EventFileReader {
        if format == .evt2 {
            return RecordFileReader(format: format, input: input, info: info, decoder: EVT2Decoder(sensor: sensor),
                                    chunkSize: options.chunkSize)
        }
        return RecordFileReader(format: format, input: input, info: info, decoder: EVT3Decoder(sensor: sensor),
                                chunkSize: options.chunkSize)
    }

    /// Rejects a header that names another encoding (`% evt 2.0` opened as EVT 3.0, `% format EVT21`, …).
    /// A header that names none is accepted.
    static func check(_ header: PropheseeHeader, is format: EventFileFormat,
                      path: String) throws(EventFormatError) {
        let wanted = format == .evt2 ? "2.0" : "3.0"
        if let line = header.lines.first(where: { $0.key.lowercased() == "evt" }) {
            guard line.value == wanted else {
                throw EventFormatError(.badHeader, file: path, offset: line.offset,
                                       expected: "`% evt \(wanted)` for \(format.displayName)", found: "'%\(line.text)'")
            }
        }
        if let line = header.lines.first(where: { $0.key.lowercased() == "format" }) {
            let name = line.value.prefix { $0 != ";" }.trimmingSpaces.uppercased()
            let accepted = format == .evt2 ? ["EVT2", "EVT2.0"] : ["EVT3", "EVT3.0"]
            guard accepted.contains(name) else {
                throw EventFormatError(.badHeader, file: path, offset: line.offset,
                                       expected: "`% format \(accepted[0]);…` for \(format.displayName)",
                                       found: "'%\(line.text)'")
            }
        }
    }
}
