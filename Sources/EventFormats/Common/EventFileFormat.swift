import DVSEvents

/// Every file format ottt knows. Registered here once: sniffing, reading and writing all go through this list.
public enum EventFileFormat: String, CaseIterable, Sendable {
    case aedat1 = "aedat1"
    case aedat2 = "aedat2"
    case aedat3 = "aedat3"
    case aedat4 = "aedat4"
    case evt2 = "evt2"
    case evt3 = "evt3"
    case dat = "dat"
    case nmnist = "nmnist"
    case csv = "csv"

    /// The name users see.
    public var displayName: String {
        switch self {
        case .aedat1: "AEDAT 1.0"
        case .aedat2: "AEDAT 2.0"
        case .aedat3: "AEDAT 3.1"
        case .aedat4: "AEDAT 4.0"
        case .evt2: "EVT 2.0"
        case .evt3: "EVT 3.0"
        case .dat: "Prophesee DAT"
        case .nmnist: "N-MNIST bin"
        case .csv: "CSV (t,x,y,p)"
        }
    }
}

/// Options that change how events are decoded, for formats where conventions differ between tools.
public struct ReadOptions: Sendable {
    /// Orientation and polarity convention of DVS128 AEDAT 1/2 files (docs/FORMATS.md §1.1, §2). jAER's by default.
    public var dvs128Convention: DVS128Convention = .jAER
    /// Override the AEDAT 1/2 address layout chosen from the `# AEChip:` header.
    public var aedat2Layout: AEDAT2Layout? = nil
    /// AEDAT 1/2: skip a record whose timestamp goes backwards (not a wrap) and every later one until time catches
    /// up, so the stream stays in order; by default such records are kept at their own times (counted).
    public var aedat2DropBackwards = false
    /// Sensor size for files that do not state it (EVT raw files without geometry, CSV); nil = the format's
    /// fallback (CSV: inferred from the events).
    public var sensor: SensorSize? = nil
    /// The unit of a CSV file's time column (µs by default).
    public var timeUnit: TimeUnit = .microseconds
    /// Events per chunk delivered by `read(into:)`.
    public var chunkSize: Int = 65_536
    /// Stop cleanly at the first damaged packet (truncated or corrupt, as a crashed recording ends) instead of
    /// throwing: every event before it is delivered either way, and the reader's `damage` says where it stopped,
    /// what it found and how many bytes it left (AEDAT 4.0, AEDAT 3.1). Without it, `read(into:)` delivers the
    /// events before the damage and throws at the next call.
    public var stopAtDamage = false
    /// AEDAT 4.0: read the next packets (at most three ahead) on a thread of its own, which also decompresses every
    /// other one while the caller's thread decompresses the rest and converts them all (two cores; the events and
    /// errors are the same as without). Compressed files only: uncompressed packets are converted in place. Off by
    /// default: it pays on whole compressed recordings (ZSTD about ×1.6–1.9 by the slower thread's CPU from 10
    /// packets on) but costs on small files (a thread per file: a 3,000-event file reads 1.5–2× slower) and where
    /// the caller already runs a reader per core (dataset caches) or paces reading (live replay).
    public var readAhead = false

    public init() {}
}

/// How a DVS128 address becomes (x, y, p) (docs/FORMATS.md §2).
public enum DVS128Convention: String, CaseIterable, Sendable {
    /// x = 127 − raw_x, y = raw_y, ON when raw bit 0 is 0 (jAER's extractor, origin bottom-left).
    case jAER = "jaer"
    /// The OTTT code's loader (a copy of pre-2021 SpikingJelly): the same as jAER.
    case ottt = "ottt"
    /// SpikingJelly since 2021: x = 127 − raw_y, y = 127 − raw_x, p = 1 − raw.
    case spikingJelly2021 = "spikingjelly"
    /// The raw fields as stored: x = raw_x, y = raw_y, ON when raw bit 0 is 1.
    case raw = "raw"
}

/// The address layout of AEDAT 1.0/2.0 records.
public enum AEDAT2Layout: String, CaseIterable, Sendable {
    case dvs128 = "dvs128"
    case davis = "davis"
}

/// Options for writers.
public struct WriteOptions: Sendable {
    public enum Compression: String, CaseIterable, Sendable {
        case none, lz4, lz4High = "lz4-high", zstd, zstdHigh = "zstd-high"
    }
    /// AEDAT 4.0 packet compression.
    public var compression: Compression = .lz4
    /// Events per packet (AEDAT 4.0).
    public var eventsPerPacket: Int = 4096
    /// Packets an AEDAT 4.0 file data table lists at most. The writer keeps the table in memory until the file is
    /// finished (40 bytes a packet); a longer recording is written without a table (readers then scan the
    /// packets), so that an always-on recorder's memory stays bounded: 2²⁰ packets is 40 MiB, about 70 minutes
    /// at a sustained 1 M events/s in 4096-event packets.
    public var indexLimit: Int = 1 << 20
    /// AEDAT 4.0 written as it goes (`--record`): the file is written under its own name (no temporary name, no
    /// rename), and whole packets reach it at least every `flushInterval` seconds of wall time, so that a process
    /// killed with SIGKILL leaves a file that reads as it stands (its data table position stays −1 until
    /// `finish()`: readers scan the packets) and loses at most the last interval. nil: the file appears when
    /// finished, complete, or not at all.
    public var flushInterval: Double?

    public init() {}
}

/// A source of events read from a file.
public protocol EventFileReader: EventSource {
    var format: EventFileFormat { get }
    var path: String { get }
    /// Problems stepped over so far (skipped packets, other event types, invalid events), with counts.
    var warnings: [EventFormatWarning] { get }
}

/// A sink for events that become a file once `finish()` succeeds.
public protocol EventFileWriter: AnyObject {
    var format: EventFileFormat { get }
    /// Appends the events of `buffer` (in time order).
    func write(_ buffer: EventBuffer) throws(EventFormatError)
    /// Completes the file (indexes, trailers) and moves it into place.
    func finish() throws(EventFormatError)
}
