import InputLimits
import Foundation
import DVSEvents
import EventFormats
import EventBinning

/// Frames of a whole dataset in one memory-mapped file, so that an epoch reads frames instead of decoding and
/// binning every recording again.
///
/// File layout (little-endian; sections start on 64-byte boundaries):
///
///     0   "OTTTFRM1"            8 bytes magic
///     8   u32 version (1)       12  u32 storage (0 Float32, 1 UInt8, 2 UInt16)
///     16  f32 scale             stored = value × scale, rounded and saturated, for the integer storages
///     20  u32 T, 24 u32 H, 28 u32 W  the shape of one sample [T, 2, H, W]
///     32  u64 count             samples
///     40  u32 key length, 44 u32 reserved, 48 the key (UTF-8): what the frames were made from and how
///     …   labels [count] Int32
///     …   frames [count, T, 2, H, W] in the storage type
///
/// A cache opened with a different key is stale: the caller rebuilds it.
public final class FrameCache {
    public enum Storage: UInt32, CaseIterable, Sendable {
        case float32 = 0, uint8 = 1, uint16 = 2
        var size: Int { switch self { case .float32: 4; case .uint8: 1; case .uint16: 2 } }
        var maxValue: Float { switch self { case .float32: .greatestFiniteMagnitude; case .uint8: 255; case .uint16: 65535 } }
    }

    static let magic = Array("OTTTFRM1".utf8)
    static let version: UInt32 = 1

    public let path: String
    public let key: String
    public let storage: Storage
    public let scale: Float
    public let frameCount: Int, height: Int, width: Int
    public let count: Int
    /// One more than the largest label stored (every label is checked at open: 0 ≤ label < `Limits.labelClasses`).
    public let labelBound: Int
    private let file: MappedFile
    private let labelsOffset: Int
    /// byte / scale for every byte, divided exactly as the values were made (b / 255 in the paper pipeline).
    private let byteValues: [Float]
    private let dataOffset: Int

    /// Values per sample: T·2·H·W.
    public var sampleValues: Int { frameCount * Frames.channels * height * width }

    /// Opens an existing cache; `expectedKey` (when given) must match the stored key.
    public init(path: String, expectedKey: String? = nil) throws(DatasetError) {
        file = try MappedFile(path: path)
        self.path = path
        let b = file.bytes
        func bad(_ at: Int, _ expected: String, _ found: String) -> DatasetError {
            DatasetError(.badCache, path: path, location: "byte \(at)", expected: expected, found: found)
        }
        guard b.count >= 48 else { throw bad(0, "a 48-byte header", "\(b.count) bytes") }
        guard Array(b[0..<8]) == FrameCache.magic else { throw bad(0, "magic OTTTFRM1", "\(Array(b[0..<8]))") }
        let version = file.load(UInt32.self, at: 8)
        guard version == FrameCache.version else { throw bad(8, "version \(FrameCache.version)", "\(version)") }
        guard let storage = Storage(rawValue: file.load(UInt32.self, at: 12)) else {
            throw bad(12, "storage 0, 1 or 2", "\(file.load(UInt32.self, at: 12))")
        }
        self.storage = storage
        let scale = Float(bitPattern: file.load(UInt32.self, at: 16))
        self.scale = scale
        frameCount = Int(file.load(UInt32.self, at: 20))
        height = Int(file.load(UInt32.self, at: 24))
        width = Int(file.load(UInt32.self, at: 28))
        let n = file.load(UInt64.self, at: 32)
        let keyLength = Int(file.load(UInt32.self, at: 40))
        guard scale.isFinite, scale > 0 else { throw bad(16, "a positive scale", "\(scale)") }
        guard frameCount > 0, height > 0, width > 0, frameCount < 1 << 20, height < 1 << 16, width < 1 << 16 else {
            throw bad(20, "a sample shape T×2×H×W", "\(frameCount)×2×\(height)×\(width)")
        }
        guard n < 1 << 40, 48 + keyLength <= b.count else { throw bad(32, "a count and key that fit the file", "count \(n), key \(keyLength) bytes") }
        count = Int(n)
        key = String(decoding: b[48..<(48 + keyLength)], as: UTF8.self)
        byteValues = (0..<256).map { Float($0) / scale }
        labelsOffset = FrameCache.aligned(48 + keyLength)
        dataOffset = FrameCache.aligned(labelsOffset + 4 * count)
        // Sizes from the header are the world's numbers: multiply without trapping on overflow.
        var dataBytes = count, overflow = false
        for factor in [frameCount, Frames.channels, height, width, storage.size] {
            let (product, o) = dataBytes.multipliedReportingOverflow(by: factor)
            dataBytes = product
            overflow = overflow || o
        }
        let (expectedSize, o) = dataOffset.addingReportingOverflow(dataBytes)
        overflow = overflow || o
        guard !overflow, b.count == expectedSize else {
            throw bad(b.count, "\(expectedSize) bytes for \(count) samples of \(frameCount)×2×\(height)×\(width)",
                      "\(b.count) bytes")
        }
        if let expectedKey, expectedKey != key {
            throw DatasetError(.staleCache, path: path, expected: "frames made as '\(expectedKey)'", found: "'\(key)'")
        }
        // Labels index class arrays later: each is range-checked here, once (a damaged cache says where).
        let classLimit = Limits.current.labelClasses
        var bound = 0
        for i in 0..<count {
            let label = Int(file.load(Int32.self, at: labelsOffset + 4 * i))
            guard label >= 0, label < classLimit else {
                throw bad(labelsOffset + 4 * i, "a label from 0 to \(classLimit - 1) (raise with --max-classes)", "\(label)")
            }
            bound = max(bound, label + 1)
        }
        labelBound = bound
    }

    static func aligned(_ offset: Int) -> Int { (offset + 63) & ~63 }

    /// Throws unless every label is below `classes` (a cache made for another dataset, or damaged), naming the
    /// byte of the first label that is not.
    public func checkLabels(below classes: Int) throws(DatasetError) {
        guard labelBound > classes else { return }
        for i in 0..<count where label(i) >= classes {
            throw DatasetError(.badCache, path: path, location: "byte \(labelsOffset + 4 * i)",
                               expected: "a label from 0 to \(classes - 1) (the dataset's \(classes) classes)",
                               found: "\(label(i)) for sample \(i)")
        }
    }

    public func label(_ i: Int) -> Int {
        precondition(i >= 0 && i < count, "sample \(i) out of range 0..<\(count)")
        return Int(file.load(Int32.self, at: labelsOffset + 4 * i))
    }

    /// Sample `i` as Float frames [T, 2, H, W] (stored / scale).
    public func frames(_ i: Int) -> Frames {
        var out = Frames(count: frameCount, height: height, width: width)
        out.values.withUnsafeMutableBufferPointer { decode(i, into: $0) }
        return out
    }

    /// Decodes sample `i` into `out` [T·2·H·W] without allocating (for batch assembly).
    public func decode(_ i: Int, into out: UnsafeMutableBufferPointer<Float>) {
        precondition(i >= 0 && i < count, "sample \(i) out of range 0..<\(count)")
        precondition(out.count >= sampleValues, "a buffer of \(out.count) cannot hold \(sampleValues) values")
        let n = sampleValues, start = file.bytes.baseAddress! + dataOffset + i * n * storage.size
        switch storage {
        case .float32:
            for k in 0..<n { out[k] = Float(bitPattern: UInt32(littleEndian: start.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self))) }
        case .uint8:
            let p = start.assumingMemoryBound(to: UInt8.self)
            byteValues.withUnsafeBufferPointer { table in for k in 0..<n { out[k] = table[Int(p[k])] } }
        case .uint16:
            for k in 0..<n { out[k] = Float(UInt16(littleEndian: start.loadUnaligned(fromByteOffset: 2 * k, as: UInt16.self))) / scale }
        }
    }

    /// What building a cache changed.
    public struct BuildReport: Sendable, Equatable {
        public var samples = 0
        /// Values that did not fit the storage and were saturated (or rounded off by more than 1e-3 of a step).
        public var clampedValues = 0
        public var inexactValues = 0
    }

    /// Writes a cache of `labels.count` samples made by `produce(i)` (called in order of i, on up to `threads`
    /// threads at once), atomically: the file appears only when complete.
    @discardableResult
    public static func build(path: String, key: String, storage: Storage, scale: Float = 1,
                             frameCount: Int, height: Int, width: Int, labels: [Int], threads: Int = 1,
                             progress: ((Int) -> Void)? = nil,
                             produce: @escaping @Sendable (Int) throws -> Frames) throws -> BuildReport {
        precondition(scale > 0 && scale.isFinite, "a cache scale must be positive, got \(scale)")
        let out: FileOutput
        do { out = try FileOutput(path: path) } catch { throw DatasetError(.ioFailure, path: path, expected: "a writable file", found: "\(error)") }
        func write(_ bytes: [UInt8]) throws {
            do { try out.write(bytes) } catch { throw DatasetError(.ioFailure, path: path, expected: "room to write", found: "\(error)") }
        }
        func pad() throws { try write([UInt8](repeating: 0, count: aligned(Int(out.offset)) - Int(out.offset))) }
        var header = magic
        for v in [version, storage.rawValue, scale.bitPattern, UInt32(frameCount), UInt32(height), UInt32(width)] {
            header.appendLittleEndian(v)
        }
        header.appendLittleEndian(UInt64(labels.count))
        let keyBytes = Array(key.utf8)
        header.appendLittleEndian(UInt32(keyBytes.count))
        header.appendLittleEndian(UInt32(0))
        try write(header + keyBytes)
        try pad()
        var labelBytes: [UInt8] = []
        for l in labels { labelBytes.appendLittleEndian(UInt32(bitPattern: Int32(l))) }
        try write(labelBytes)
        try pad()

        var report = BuildReport()
        let batch = max(1, threads) * 4
        var next = 0
        while next < labels.count {
            let range = next..<min(labels.count, next + batch)
            let results = ProducedBatch(count: range.count)
            if threads > 1 {
                DispatchQueue.concurrentPerform(iterations: range.count) { k in
                    results.store(k, Result { try produce(range.lowerBound + k) })
                }
            } else {
                for k in 0..<range.count { results.store(k, Result { try produce(range.lowerBound + k) }) }
            }
            for k in 0..<range.count {
                let frames = try results.take(k).get()
                guard frames.count == frameCount, frames.height == height, frames.width == width else {
                    throw DatasetError(.badCache, path: path, expected: "samples of \(frameCount)×2×\(height)×\(width)",
                                       found: "sample \(range.lowerBound + k) of \(frames.count)×2×\(frames.height)×\(frames.width)")
                }
                try write(encode(frames.values, storage: storage, scale: scale, report: &report))
                report.samples += 1
                progress?(report.samples)
            }
            next = range.upperBound
        }
        do { try out.finish() } catch { throw DatasetError(.ioFailure, path: path, expected: "a finished file", found: "\(error)") }
        return report
    }

    static func encode(_ values: [Float], storage: Storage, scale: Float, report: inout BuildReport) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * storage.size)
        for v in values {
            switch storage {
            case .float32:
                bytes.appendLittleEndian(v.bitPattern)
            case .uint8, .uint16:
                let scaled = v * scale
                let rounded = scaled.isFinite ? scaled.rounded() : 0
                let clamped = min(max(rounded, 0), storage.maxValue)
                if clamped != rounded || !scaled.isFinite { report.clampedValues += 1 }
                else if abs(scaled - rounded) > 1e-3 { report.inexactValues += 1 }
                if storage == .uint8 { bytes.append(UInt8(clamped)) } else { bytes.appendLittleEndian(UInt16(clamped)) }
            }
        }
        return bytes
    }
}

/// Results of one batch of concurrent `produce` calls, each slot written by exactly one iteration.
private final class ProducedBatch: @unchecked Sendable {
    private var slots: [Result<Frames, any Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func store(_ k: Int, _ r: Result<Frames, any Error>) { lock.lock(); slots[k] = r; lock.unlock() }
    func take(_ k: Int) -> Result<Frames, any Error> { lock.lock(); defer { lock.unlock() }; return slots[k]! }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ v: T) {
        Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
    }
}
