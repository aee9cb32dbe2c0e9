import DVSEvents

extension PropheseeHeader {
    /// The header our EVT writers put before the words: version, format with geometry, geometry, and `% end`
    /// (so that a first data byte equal to `%` cannot be mistaken for another header line).
    static func rawHeader(format: EventFileFormat, sensor: SensorSize) -> String {
        precondition(format == .evt2 || format == .evt3, "no raw header for \(format)")
        let (version, name) = format == .evt2 ? ("2.0", "EVT2") : ("3.0", "EVT3")
        return """
        % evt \(version)
        % format \(name);width=\(sensor.width);height=\(sensor.height)
        % geometry \(sensor.width)x\(sensor.height)
        % generator ottt
        % end

        """
    }

    /// Checks that a writer's sensor fits the 11-bit addresses of EVT words.
    static func checkWritable(sensor: SensorSize, format: EventFileFormat, path: String) throws(EventFormatError) {
        guard sensor.width <= 2048 && sensor.height <= 2048 else {
            throw EventFormatError(.unsupported, file: path, offset: nil,
                                   expected: "a sensor of at most 2048×2048 for \(format.displayName)",
                                   found: "\(sensor)")
        }
    }
}

/// The checks every event writer makes before encoding an event: inside the sensor, time not negative.
struct EventChecks {
    let sensor: SensorSize
    let path: String

    /// Throws for an event of `buffer` at `i` outside the sensor or with negative time; `offset` is where the
    /// writer stands in the output file.
    @inline(__always)
    func check(_ buffer: EventBuffer, _ i: Int, offset: Int64) throws(EventFormatError) {
        let x = Int(buffer.x[i]), y = Int(buffer.y[i]), t = buffer.t[i]
        guard sensor.contains(x: x, y: y) else {
            throw EventFormatError(.outsideSensor, file: path, offset: offset,
                                   expected: "events on the \(sensor) sensor", found: "x \(x), y \(y) (event \(i) of the chunk)")
        }
        guard t >= 0 else {
            throw EventFormatError(.badRecord, file: path, offset: offset,
                                   expected: "a time of at least 0 µs", found: "\(t) (event \(i) of the chunk)")
        }
    }
}
