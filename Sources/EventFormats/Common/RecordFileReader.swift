import DVSEvents

/// Where a decoder writes events: the first free slot of each column of an `EventBuffer`.
struct EventColumns {
    var t: UnsafeMutablePointer<Microseconds>
    var x: UnsafeMutablePointer<UInt16>
    var y: UnsafeMutablePointer<UInt16>
    var p: UnsafeMutablePointer<UInt8>
}

/// The pure step of a format made of fixed-size records (words) after a header: bytes in, events out, with the
/// decoding state (time base, current row, …) carried between calls.
protocol RecordDecoder {
    /// Bytes per record.
    static var recordSize: Int { get }
    /// The most events one record can produce.
    static var maxEventsPerRecord: Int { get }

    /// Decodes whole records from `bytes` (`records` of them, the first at absolute file offset `offset`) into
    /// `out`, stopping early when fewer than `maxEventsPerRecord` of the `capacity` slots remain.
    /// Returns the records consumed (at least one when `records > 0` and `capacity >= maxEventsPerRecord`) and the
    /// events written.
    mutating func decode(_ bytes: UnsafeRawPointer, records: Int, offset: Int64,
                         into out: EventColumns, capacity: Int) -> (records: Int, events: Int)

    /// What was stepped over so far.
    var tally: WarningTally { get }
}

/// The state holder around a `RecordDecoder`: streams a file through one `FileInput` window and fills the
/// caller's buffer chunk by chunk, so memory stays constant whatever the file size.
final class RecordFileReader<Decoder: RecordDecoder>: EventFileReader, ReadProgress {
    let format: EventFileFormat
    let info: StreamInfo
    var path: String { input.path }
    private let input: FileInput
    private var decoder: Decoder
    /// Events per chunk; never below what one record can produce, so every call makes progress.
    private let chunkCapacity: Int
    private var tail = WarningTally()
    private var ended = false

    /// `input` must be positioned at the first record.
    init(format: EventFileFormat, input: FileInput, info: StreamInfo, decoder: Decoder, chunkSize: Int) {
        precondition(chunkSize > 0, "chunk size must be positive, got \(chunkSize)")
        self.format = format
        self.input = input
        self.info = info
        self.decoder = decoder
        self.chunkCapacity = max(chunkSize, Decoder.maxEventsPerRecord)
    }

    var warnings: [EventFormatWarning] { decoder.tally.warnings + tail.warnings }
    var bytesRead: Int64 { input.offset }
    var fileSize: Int64 { input.size }

    func read(into buffer: EventBuffer) throws -> Bool {
        buffer.removeAll()
        let size = Decoder.recordSize
        while !ended && buffer.count + Decoder.maxEventsPerRecord <= chunkCapacity {
            if input.available < size && input.deliversNow(holding: buffer.count) { break }
            guard try input.need(size) else {
                let left = input.available
                if left > 0 {
                    tail.add("the file ends inside a \(size)-byte record: \(left) trailing bytes ignored",
                             at: input.offset)
                    input.consume(left)
                }
                ended = true
                break
            }
            let records = input.available / size
            let room = chunkCapacity - buffer.count
            var used = 0
            buffer.appendUnsafe(maxCount: room) { t, x, y, p in
                let r = decoder.decode(input.bytes, records: records, offset: input.offset,
                                       into: EventColumns(t: t, x: x, y: y, p: p), capacity: room)
                used = r.records
                return r.events
            }
            precondition(used > 0, "\(Decoder.self) consumed no record of \(records) with \(room) free slots")
            input.consume(used * size)
        }
        return !buffer.isEmpty
    }
}
