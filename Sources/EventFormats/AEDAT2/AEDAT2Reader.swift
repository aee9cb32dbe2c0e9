import DVSEvents

/// Streaming reader of AEDAT 1.0 and 2.0 (jAER) files: big-endian (address, timestamp) records after a `#` header.
///
/// The address layout comes from `# AEChip:` (DVS128 unless the chip is a DAVIS), `ReadOptions.aedat2Layout`
/// overrides it. DVS128 coordinates follow `ReadOptions.dvs128Convention` (jAER's by default); DAVIS coordinates
/// are jAER's raw fields (origin bottom-left). 32-bit timestamps that wrap are unwrapped into 64-bit time; a
/// timestamp that goes backwards otherwise is kept at its own time and counted (as the official OTTT loader keeps
/// every record), or with `ReadOptions.aedat2DropBackwards` skipped with every record until time catches up. Special/external events (DVS128 bit 15 or 31,
/// DAVIS bit 10) and DAVIS APS/IMU samples are skipped and counted.
public final class AEDAT2Reader: EventFileReader, ReadProgress {
    public let format: EventFileFormat
    public var path: String { input.path }
    public let info: StreamInfo
    public var warnings: [EventFormatWarning] { tally.warnings }
    public var bytesRead: Int64 { input.offset }
    public var fileSize: Int64 { input.size }

    let header: AEDAT2Header
    let layout: AEDAT2Layout
    let convention: DVS128Convention
    private let input: FileInput
    private let chunkSize: Int
    private var tally = WarningTally()
    private var clock = TimestampUnwrapper()
    private var finished = false
    /// Skipped records by reason (reported as warnings at the end of the file).
    private var skipped = SkipCounts()

    /// `version` (1 or 2), when given, overrides the header's: the user named the format.
    public init(path: String, options: ReadOptions = ReadOptions(), version: Int? = nil) throws(EventFormatError) {
        input = try FileInput(path: path)
        var header = try AEDAT2Header.read(from: input)
        if let version { header.majorVersion = version }
        self.header = header
        format = header.majorVersion == 1 ? .aedat1 : .aedat2
        let chipSaysDAVIS = header.chip.map { $0.lowercased().contains("davis") } ?? false
        layout = options.aedat2Layout ?? (chipSaysDAVIS && header.majorVersion == 2 ? .davis : .dvs128)
        convention = options.dvs128Convention
        clock.follow = !options.aedat2DropBackwards
        chunkSize = max(1, options.chunkSize)
        let sensor: SensorSize
        switch layout {
        case .dvs128: sensor = .dvs128
        case .davis: sensor = options.sensor ?? DAVISAddress.sensor(chip: header.chip) ?? .davis346
        }
        var properties: [(key: String, value: String)] = [
            ("version", header.majorVersion == 1 ? "1.0" : "2.0"),
            ("chip", header.chip ?? "(not stated)"),
            ("address layout", layout.rawValue),
            ("header", "\(header.lineCount) lines, \(header.dataStart) bytes, \(header.crlf ? "CRLF" : "LF")"),
        ]
        switch layout {
        case .dvs128: properties.append(("convention", convention.summary))
        case .davis: properties.append(("convention", "jAER raw fields (origin bottom-left)"))
        }
        info = StreamInfo(format: format.displayName, sensor: sensor, properties: properties)
    }

    public func read(into buffer: EventBuffer) throws -> Bool {
        buffer.removeAll()
        let size = header.recordSize
        while buffer.count < chunkSize && !finished {
            guard try input.need(size) else {
                if input.available > 0 {
                    tally.add("file ends inside a record: \(input.available) trailing bytes ignored", at: input.offset)
                    input.consume(input.available)
                }
                finished = true
                reportSkips()
                break
            }
            let n = min(input.available / size, chunkSize - buffer.count)
            let records = input.bytes
            switch (layout, header.majorVersion, convention) {
            case (.davis, _, _): decodeDAVIS(records, count: n, into: buffer)
            case (.dvs128, 1, .raw): decodeDVS128(records, count: n, into: buffer, AEDAT1Record.self, DVS128RawMap.self)
            case (.dvs128, 1, .jAER), (.dvs128, 1, .ottt):
                decodeDVS128(records, count: n, into: buffer, AEDAT1Record.self, DVS128JAERMap.self)
            case (.dvs128, 1, .spikingJelly2021):
                decodeDVS128(records, count: n, into: buffer, AEDAT1Record.self, DVS128SpikingJellyMap.self)
            case (.dvs128, _, .raw): decodeDVS128(records, count: n, into: buffer, AEDAT2Record.self, DVS128RawMap.self)
            case (.dvs128, _, .jAER), (.dvs128, _, .ottt):
                decodeDVS128(records, count: n, into: buffer, AEDAT2Record.self, DVS128JAERMap.self)
            case (.dvs128, _, .spikingJelly2021):
                decodeDVS128(records, count: n, into: buffer, AEDAT2Record.self, DVS128SpikingJellyMap.self)
            }
            input.consume(n * size)
        }
        return !(finished && buffer.isEmpty)
    }

    private func decodeDVS128<R: AEDAT2RecordLayout, M: DVS128AddressMap>(
        _ src: UnsafeRawPointer, count n: Int, into buffer: EventBuffer, _: R.Type, _: M.Type
    ) {
        var state = DVS128LoopState(clock: clock)
        buffer.appendUnsafe(maxCount: n) { tp, xp, yp, pp in
            Self.dvs128Kernel(src, n, tp, xp, yp, pp, &state, R.self, M.self)
        }
        clock = state.clock
        skipped.special += state.special
        skipped.backwards += state.backwards
    }

    /// The hot loop, kept out of the closure so that its state lives in registers. Blocks of 32 records that are
    /// all in time order and not special (nearly all of them) take a straight path with no per-event branch;
    /// other blocks write every record and advance the write cursor only for a kept event. Returns the number of
    /// events kept.
    @inline(__always)
    private static func dvs128Kernel<R: AEDAT2RecordLayout, M: DVS128AddressMap>(
        _ src: UnsafeRawPointer, _ n: Int,
        _ tp: UnsafeMutablePointer<Microseconds>, _ xp: UnsafeMutablePointer<UInt16>,
        _ yp: UnsafeMutablePointer<UInt16>, _ pp: UnsafeMutablePointer<UInt8>,
        _ state: inout DVS128LoopState, _: R.Type, _: M.Type
    ) -> Int {
        let block = 32
        var clock = state.clock
        var special = 0, backwards = 0, k = 0, i = 0
        while i < n {
            let m = min(block, n - i)
            let records = src + i &* R.size
            // Pass 1: is the whole block plain (in order, no special bits, no wrap)?
            var previous = clock.last
            var flags: UInt32 = 0
            for j in 0..<m {
                let r = records + j &* R.size
                let ts = R.timestamp(r)
                flags |= (R.address(r) & 0x8000_8000) | (ts < previous ? 1 : 0)
                previous = ts
            }
            if flags == 0 {
                let epoch = clock.epoch
                let (t, x, y, p) = (tp + k, xp + k, yp + k, pp + k)
                for j in 0..<m {
                    let r = records + j &* R.size
                    let (ex, ey, ep) = M.map(R.address(r))
                    t[j] = epoch &+ Microseconds(R.timestamp(r))
                    x[j] = ex
                    y[j] = ey
                    p[j] = ep
                }
                clock.skip(to: previous)
                k &+= m
            } else {
                for j in 0..<m {
                    let r = records + j &* R.size
                    let a = R.address(r)
                    let inOrder = clock.advance(R.timestamp(r))
                    let (x, y, p) = M.map(a)
                    tp[k] = clock.time
                    xp[k] = x
                    yp[k] = y
                    pp[k] = p
                    let isSpecial = a & 0x8000_8000 != 0
                    special &+= isSpecial ? 1 : 0
                    backwards &+= inOrder ? 0 : 1
                    k &+= (isSpecial || !(inOrder || clock.follow)) ? 0 : 1
                }
            }
            i &+= m
        }
        state.clock = clock
        state.special += special
        state.backwards += backwards
        return k
    }

    private func decodeDAVIS(_ src: UnsafeRawPointer, count n: Int, into buffer: EventBuffer) {
        var clock = self.clock
        var s = skipped
        let width = UInt16(info.sensor.width), height = UInt16(info.sensor.height)
        buffer.appendUnsafe(maxCount: n) { tp, xp, yp, pp in
            var k = 0
            for i in 0..<n {
                let record = src + i &* 8
                let a = AEDAT2Record.address(record)
                let inOrder = clock.advance(AEDAT2Record.timestamp(record))
                if a & DAVISAddress.apsOrIMU != 0 {
                    if DAVISAddress.isIMU(a) { s.imu += 1 } else { s.aps += 1 }
                    continue
                }
                if a & DAVISAddress.external != 0 { s.special += 1; continue }
                if !inOrder { s.backwards += 1 }
                guard inOrder || clock.follow else { continue }
                let x = DAVISAddress.x(a), y = DAVISAddress.y(a)
                guard x < width && y < height else { s.outside += 1; continue }
                tp[k] = clock.time
                xp[k] = x
                yp[k] = y
                pp[k] = DAVISAddress.p(a)
                k += 1
            }
            return k
        }
        self.clock = clock
        skipped = s
    }

    private func reportSkips() {
        let at = header.dataStart
        tally.add("special/external events skipped", at: at, count: skipped.special)
        tally.add("APS samples skipped", at: at, count: skipped.aps)
        tally.add("IMU samples skipped", at: at, count: skipped.imu)
        tally.add(clock.follow ? "events with time going backwards (not a 32-bit wrap) kept at their own times"
                               : "events with time going backwards (not a 32-bit wrap) skipped", at: at, count: skipped.backwards)
        tally.add("events outside the \(info.sensor) sensor skipped", at: at, count: skipped.outside)
        tally.add("32-bit timestamp wraps unwrapped into 64-bit time", at: at, count: clock.wraps)
    }
}

struct DVS128LoopState {
    var clock: TimestampUnwrapper
    var special = 0, backwards = 0
}

private struct SkipCounts {
    var special = 0, aps = 0, imu = 0, backwards = 0, outside = 0
}

/// Where the address and timestamp sit in one record.
protocol AEDAT2RecordLayout {
    static var size: Int { get }
    static func address(_ record: UnsafeRawPointer) -> UInt32
    static func timestamp(_ record: UnsafeRawPointer) -> UInt32
}

/// AEDAT 2.0: big-endian int32 address, big-endian int32 timestamp.
enum AEDAT2Record: AEDAT2RecordLayout {
    static var size: Int { 8 }
    @inline(__always) static func address(_ r: UnsafeRawPointer) -> UInt32 {
        UInt32(bigEndian: r.loadUnaligned(as: UInt32.self))
    }
    @inline(__always) static func timestamp(_ r: UnsafeRawPointer) -> UInt32 {
        UInt32(bigEndian: r.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
    }
}

/// AEDAT 1.0: big-endian int16 address, big-endian int32 timestamp.
enum AEDAT1Record: AEDAT2RecordLayout {
    static var size: Int { 6 }
    @inline(__always) static func address(_ r: UnsafeRawPointer) -> UInt32 {
        UInt32(UInt16(bigEndian: r.loadUnaligned(as: UInt16.self)))
    }
    @inline(__always) static func timestamp(_ r: UnsafeRawPointer) -> UInt32 {
        UInt32(bigEndian: r.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
    }
}
