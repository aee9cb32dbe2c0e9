import DVSEvents

/// Streaming reader of AEDAT 3.1 (cAER) files, as the DVS128 Gesture dataset ships: a `#` header up to
/// `#!END-HEADER`, then packets of one event type each (28-byte header, eventCapacity × eventSize bytes).
///
/// Polarity events (type 1) are delivered with their valid bit honoured; time is (eventTSOverflow << 31) | ts.
/// Special events of type TIMESTAMP_RESET make time continue from the last event; other packet types (frames,
/// IMU, spikes) are stepped over and counted, as are invalid events, events outside the sensor and events going
/// back in time.
///
/// A truncated or corrupt packet never costs the events before it: every complete event up to the damage is
/// delivered, then the error is thrown (or, with `ReadOptions.stopAtDamage`, reading ends there and `damage` says
/// where and how many bytes were left).
public final class AEDAT3Reader: EventFileReader, ReadProgress, DamageReporting {
    public var format: EventFileFormat { .aedat3 }
    public var path: String { input.path }
    public let info: StreamInfo
    public var warnings: [EventFormatWarning] {
        var t = tally
        for (type, count) in skippedByType.sorted(by: { $0.key < $1.key }) {
            let name = AEDAT3PacketHeader.EventType(rawValue: type)?.name ?? "type \(type)"
            t.add("\(name) events skipped", at: nil, count: count)
        }
        return t.warnings
    }
    public var bytesRead: Int64 { input.offset }
    public var fileSize: Int64 { input.size }
    public var damage: ReadDamage? { policy.damage }

    /// Cap on one packet's payload read from the file.
    static let maxPayload: Int64 = 1 << 30

    private let input: FileInput
    private let chunkSize: Int
    private let width: UInt16, height: UInt16
    private var tally = WarningTally()
    private var skippedByType: [Int16: Int] = [:]
    private var finished = false
    /// Polarity events of the current packet still to decode, and unused capacity to skip after them.
    private var remaining = 0
    private var trailing: Int64 = 0
    private var packetAt: Int64 = 0
    private var packetBase: Int64 = 0
    /// Added to every time after a TIMESTAMP_RESET.
    private var resetOffset: Int64 = 0
    private var lastT = Int64.min
    private var policy: DamagePolicy
    /// The damage found in the current packet's header, raised once its complete events are delivered.
    private var damageAfterPacket: EventFormatError?

    public init(path: String, options: ReadOptions = ReadOptions()) throws(EventFormatError) {
        input = try FileInput(path: path)
        let header = try HashHeader.read(from: input, endLine: "#!END-HEADER")
        guard let first = header.lines.first, first.hasPrefix("#!AER-DAT3.") else {
            throw EventFormatError(.badMagic, file: input.path, offset: 0, expected: "#!AER-DAT3.x",
                                   found: header.lines.first ?? "no header line")
        }
        chunkSize = max(1, options.chunkSize)
        policy = DamagePolicy(stopAtDamage: options.stopAtDamage)
        let source = header.lines.lazy.compactMap { line -> String? in
            guard line.hasPrefix("#Source "), let colon = line.firstIndex(of: ":") else { return nil }
            return line[line.index(after: colon)...].trimmingSpaces()
        }.first
        let named = source.flatMap(Self.sensor(source:))
        let sensor = options.sensor ?? named ?? .dvs128
        if options.sensor == nil && named == nil {
            tally.add("sensor size not known from source '\(source ?? "none")': assuming \(sensor)", at: nil)
        }
        width = UInt16(clamping: sensor.width)
        height = UInt16(clamping: sensor.height)
        var properties: [(key: String, value: String)] = [("version", String(first.dropFirst("#!AER-DAT".count)))]
        if let source { properties.append(("source", source)) }
        for line in header.lines where line.hasPrefix("#Format:") || line.hasPrefix("#Start-Time:") {
            let colon = line.firstIndex(of: ":")!
            properties.append((String(line[line.index(after: line.startIndex)..<colon]).lowercased(),
                               line[line.index(after: colon)...].trimmingSpaces()))
        }
        properties.append(("header", "\(header.lineCount) lines, \(header.end) bytes"))
        info = StreamInfo(format: EventFileFormat.aedat3.displayName, sensor: sensor, properties: properties)
    }

    /// The sensor of a cAER source name (`DVS128`, `DAVIS240C`, `DAVIS346B`, `DVXplorer`).
    static func sensor(source: String) -> SensorSize? {
        let s = source.lowercased()
        if s.contains("dvs128") || s.contains("davis128") { return .dvs128 }
        if s.contains("346") { return .davis346 }
        if s.contains("240") { return .davis240 }
        if s.contains("dvxplorer") { return .dvxplorer }
        return nil
    }

    public func read(into buffer: EventBuffer) throws -> Bool {
        buffer.removeAll()
        try policy.throwPending()
        while buffer.count < chunkSize && !finished {
            do {
                try step(into: buffer)
            } catch {
                finished = true
                try policy.met(error, packetAt: packetAt, fileSize: input.size, delivered: buffer.count, tally: &tally)
            }
        }
        return !(finished && buffer.isEmpty)
    }

    private func step(into buffer: EventBuffer) throws(EventFormatError) {
        if remaining > 0 {
            try decodePolarity(into: buffer)
        } else if let damage = damageAfterPacket {
            damageAfterPacket = nil
            packetAt = input.offset  // the bytes left start after the last complete event
            throw damage
        } else if trailing > 0 {
            try input.seek(to: input.offset + trailing)
            trailing = 0
        } else {
            try nextPacket(into: buffer)
        }
    }

    private func nextPacket(into buffer: EventBuffer) throws(EventFormatError) {
        let at = input.offset
        packetAt = at
        guard try input.need(AEDAT3PacketHeader.size) else {
            if input.available > 0 {
                throw EventFormatError(.truncated, file: path, offset: at, expected: "a 28-byte packet header",
                                       found: "\(input.available) bytes")
            }
            finished = true
            return
        }
        let h = AEDAT3PacketHeader(input.bytes)
        let payload = h.payloadSize
        guard h.eventSize > 0, h.eventCapacity >= 0, h.eventNumber >= 0, h.eventNumber <= h.eventCapacity,
              h.eventTSOverflow >= 0, payload <= Self.maxPayload
        else {
            throw EventFormatError(.badPacket, file: path, offset: at,
                                   expected: "a packet header with eventSize > 0, 0 ≤ eventNumber ≤ eventCapacity, payload ≤ \(Self.maxPayload) bytes",
                                   found: "type \(h.eventType), eventSize \(h.eventSize), eventNumber \(h.eventNumber), eventCapacity \(h.eventCapacity), overflow \(h.eventTSOverflow)")
        }
        let left = input.size - at - 28
        let truncation = at + 28 + payload <= input.size ? nil
            : EventFormatError(.truncated, file: path, offset: at + 28, expected: "a \(payload)-byte packet payload",
                               found: "\(left) bytes left")
        let type = AEDAT3PacketHeader.EventType(rawValue: h.eventType)
        if let truncation, type != .polarity {
            throw truncation
        }
        input.consume(AEDAT3PacketHeader.size)
        if type == .polarity || type == .special {
            guard h.eventSize == 8, h.eventTSOffset == 4 else {
                throw EventFormatError(.badPacket, file: path, offset: at + 4,
                                       expected: "\(type!.name) events of 8 bytes with the timestamp at byte 4",
                                       found: "eventSize \(h.eventSize), eventTSOffset \(h.eventTSOffset)")
            }
        }
        let used = Int64(h.eventNumber) * Int64(h.eventSize)
        switch type {
        case .polarity:
            remaining = Int(h.eventNumber)
            trailing = payload - used
            packetBase = h.timeBase
            if let truncation {
                // The complete events before the cut are delivered, then the truncation is raised.
                remaining = min(remaining, Int(left / 8))
                trailing = 0
                damageAfterPacket = truncation
            }
        case .special:
            try readSpecial(count: Int(h.eventNumber), base: h.timeBase, at: at)
            trailing = payload - used
        default:
            skippedByType[h.eventType, default: 0] += Int(h.eventNumber)
            trailing = payload
        }
    }

    /// Special events: TIMESTAMP_RESET (type 1) makes later time continue from the last event.
    private func readSpecial(count: Int, base: Int64, at: Int64) throws(EventFormatError) {
        for _ in 0..<count {
            guard try input.need(8) else { return }
            let data = UInt32(littleEndian: input.bytes.loadUnaligned(as: UInt32.self))
            input.consume(8)
            guard data & 1 == 1 else { continue }
            let kind = (data >> 1) & 0x7F
            if kind == 1 {
                resetOffset = max(lastT, resetOffset)
                tally.add("timestamp resets: time continues from the last event", at: at)
            } else if kind == 0 {
                tally.add("timestamp wraps (handled by the packets' overflow counters)", at: at)
            }
        }
    }

    /// The hot loop over the polarity events of the current packet that sit in the input window: data word
    /// (bit 0 valid, bit 1 polarity, bits 16–2 y, bits 31–17 x) and int32 timestamp.
    private func decodePolarity(into buffer: EventBuffer) throws(EventFormatError) {
        guard try input.need(8) else {
            throw EventFormatError(.truncated, file: path, offset: input.offset, expected: "\(remaining) more polarity events",
                                   found: "end of file")
        }
        let n = min(remaining, input.available / 8)
        let src = input.bytes
        let high = packetBase, offset = resetOffset
        var last = lastT
        var invalid = 0, backwards = 0, outside = 0
        let w = width, h = height
        buffer.appendUnsafe(maxCount: n) { tp, xp, yp, pp in
            var k = 0
            for i in 0..<n {
                let e = src + i &* 8
                let data = UInt32(littleEndian: e.loadUnaligned(as: UInt32.self))
                let ts = Int64(UInt32(littleEndian: e.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) & 0x7FFF_FFFF)
                let t = (high | ts) &+ offset
                let x = UInt16(truncatingIfNeeded: data >> 17)
                let y = UInt16(truncatingIfNeeded: (data >> 2) & 0x7FFF)
                tp[k] = t
                xp[k] = x
                yp[k] = y
                pp[k] = UInt8(truncatingIfNeeded: (data >> 1) & 1)
                let valid = data & 1 == 1
                let inOrder = t >= last
                let inside = x < w && y < h
                invalid &+= valid ? 0 : 1
                backwards &+= valid && !inOrder ? 1 : 0
                outside &+= valid && inOrder && !inside ? 1 : 0
                let keep = valid && inOrder && inside
                last = keep ? t : last
                k &+= keep ? 1 : 0
            }
            return k
        }
        lastT = last
        input.consume(n * 8)
        remaining -= n
        tally.add("invalid (filtered) polarity events skipped", at: packetAt, count: invalid)
        tally.add("events with time going backwards skipped", at: packetAt, count: backwards)
        tally.add("events outside the \(width)×\(height) sensor skipped", at: packetAt, count: outside)
    }
}
