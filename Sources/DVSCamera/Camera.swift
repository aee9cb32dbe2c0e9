import DVSEvents
import Foundation

/// A live iniVation camera as an `EventSource`: opened by serial (or the first usable one), configured with its
/// family's default biases, streaming from the moment it is opened until `close()`.
///
/// Transfers complete on a dedicated USB thread, which decodes them into chunks and queues them; `read(into:)`
/// hands out one chunk per call. The queue is bounded and `Options.policy` says what happens when the consumer
/// falls behind (`counters` tells how often). If the camera is unplugged, the chunks already received are still
/// delivered, then `read` throws `CameraError.deviceGone` once and returns false afterwards.
public final class Camera: EventSource {
    public struct Options: Sendable {
        /// What to do when the consumer falls behind.
        public var policy: BackpressurePolicy = .merge
        /// Chunks (one per USB transfer) that may wait for the consumer.
        public var queueCapacity = 64
        /// With `.merge`, the most events one queued chunk may grow to.
        public var mergeLimit = 1 << 20
        /// Seconds `read(into:)` waits for data before returning an empty chunk.
        public var readTimeout = 0.05
        /// Receives a line for every control request (nil: silent).
        public var trace: (@Sendable (String) -> Void)?
        public init() {}
    }

    public let cameraInfo: CameraInfo
    public let info: StreamInfo
    public let geometry: SensorGeometry
    public let options: Options

    private let context: USBContext
    private let handle: USBDeviceHandle
    private let control: ControlChannel
    private let driver: any FamilyDriver
    private let sink: DecodingSink
    private var stream: BulkInStream?
    private var isClosed = false

    /// Opens the camera with serial number `serial` (or "bus:address"), or the first usable camera when nil, and
    /// starts streaming.
    public init(serial: String? = nil, options: Options = Options()) throws {
        self.options = options
        do { context = try USBContext() } catch { throw CameraError.usb(error) }
        var seen: [CameraInfo] = []
        var chosen: (CameraInfo, USBDeviceHandle, Int?)?
        for candidate in try Camera.candidates(context) {
            let probed = Camera.probe(candidate.device, candidate.family)
            seen.append(probed.info)
            guard serial.map(probed.info.matches) ?? true, let h = probed.handle else { continue }
            chosen = (probed.info, h, probed.chipID)
            break
        }
        guard let (found, handle, chipID) = chosen else { throw Camera.openFailure(wanted: serial, seen: seen) }
        cameraInfo = found
        self.handle = handle
        control = options.trace.map { TracingControlChannel(handle, trace: $0) } ?? handle
        driver = found.family.driver(chipID: chipID)
        do {
            if try handle.configuration() != 1 { try handle.setConfiguration(1) }
            try handle.claimInterface(0)
            geometry = try driver.configure(control)
        } catch let e as USBError {
            throw CameraError.usb(e)
        }
        sink = DecodingSink(decoder: driver.makeDecoder(geometry),
                            queue: ChunkHandoff(capacity: options.queueCapacity, policy: options.policy,
                                              mergeLimit: options.mergeLimit),
                            name: "\(found.model) \(found.serial ?? "?")")
        info = StreamInfo(format: found.model, sensor: geometry.sensor, properties: [
            ("serial", found.serial ?? "?"), ("firmware", String(found.firmwareVersion)),
            ("logic", found.logicVersion.map(String.init) ?? "-"), ("bus", String(found.busNumber)),
            ("address", String(found.address)), ("port", found.portPath), ("when behind", options.policy.rawValue),
        ])
        do {
            try start()
        } catch let e as USBError {
            close()
            throw CameraError.usb(e)
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    private func start() throws {
        context.startEventThread(name: "ottt-usb \(cameraInfo.serial ?? "")")
        try driver.startBeforeTransfers(control)
        let family = cameraInfo.family
        if family != .dvs128 { try handle.clearHalt(endpoint: family.dataEndpoint) }
        let sink = self.sink
        let s = BulkInStream(handle: handle, endpoint: family.dataEndpoint, transferCount: family.transferCount,
                             transferSize: family.transferSize,
                             onData: { sink.received($0) }, onEnd: { sink.ended($0) })
        stream = s
        try s.start()
        try driver.startAfterTransfers(control)
    }

    /// The next chunk of events: waits up to `Options.readTimeout` and may return an empty chunk.
    public func read(into buffer: EventBuffer) throws -> Bool {
        guard !isClosed else { buffer.removeAll(); return false }
        switch sink.queue.next(into: buffer, timeout: options.readTimeout) {
        case .chunk, .timedOut:
            return true
        case .ended(let error):
            if let error { throw error }
            return false
        }
    }

    /// Restarts the camera's timestamp counter (and, through the sync cable, its slaves'). The reset event arrives
    /// in the stream, after which timestamps count from 0 again. The request is synchronous: with the `.block` policy
    /// keep reading meanwhile, or a full queue holds the USB thread and the request times out after 1 s.
    public func resetTimestamps() throws {
        precondition(!isClosed, "resetTimestamps() on a closed camera")
        do { try driver.resetTimestamps(control) } catch let e as USBError { throw CameraError.usb(e) }
    }

    /// Counters of the queue between the USB thread and the consumer (chunks received, delivered, dropped, merged).
    public var counters: QueueTally { sink.queue.counters }

    /// Events thrown away with the chunks dropped when the consumer fell behind.
    public var eventsDropped: Int { sink.queue.eventsDropped }

    /// The decoder's statistics: timestamp resets, backward steps, invalid words.
    public var decoderStatistics: (resets: Int, backwardSteps: Int, invalidWords: Int) { sink.statistics }

    /// Whether the camera went away while streaming.
    public var isGone: Bool { sink.isGone }

    /// Stops streaming (the family's stop sequence unless the camera is gone), cancels the transfers and releases
    /// the device. Idempotent; `read` then returns false.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        sink.queue.close()  // first: releases a producer blocked on a full queue
        if let stream, stream.isRunning, !sink.isGone { try? driver.stop(control) }
        stream?.cancel()
        if !sink.isGone { try? driver.close(control) }
        context.stopEventThread()
        stream = nil
    }

    static func openFailure(wanted: String?, seen: [CameraInfo]) -> CameraError {
        let relevant = seen.filter { info in wanted.map(info.matches) ?? true || info.serial == nil }
        if let denied = relevant.first(where: { $0.status == .accessDenied }) { return .permissionDenied(denied) }
        if let busy = relevant.first(where: { $0.status == .busy }) { return .busy(busy) }
        for info in relevant where info.serial != nil {
            switch info.status {
            case .firmwareTooOld(let minimum):
                return .versionTooOld(info, part: "firmware", found: info.firmwareVersion, minimum: minimum)
            case let .logicTooOld(found, patch, minimum, minimumPatch):
                return found < minimum ? .versionTooOld(info, part: "FPGA logic", found: found, minimum: minimum)
                    : .versionTooOld(info, part: "FPGA logic patch", found: patch, minimum: minimumPatch)
            case .failed(let reason):
                return .unsupported(info, reason: reason)
            default:
                continue
            }
        }
        return .noCamera(wantedSerial: wanted, found: seen)
    }
}

/// The USB thread's side: decodes each transfer into the queue and turns the end of the stream into the
/// consumer's end (or error).
final class DecodingSink: @unchecked Sendable {
    let queue: ChunkHandoff
    let name: String
    private var decoder: any EventWordDecoder
    private let lock = NSLock()
    private var decoded = 0
    private var gone = false
    private var stats = (resets: 0, backwardSteps: 0, invalidWords: 0)

    init(decoder: any EventWordDecoder, queue: ChunkHandoff, name: String) {
        self.decoder = decoder
        self.queue = queue
        self.name = name
    }

    func received(_ bytes: UnsafeRawBufferPointer) {
        var n = 0
        queue.produce { chunk in
            let before = chunk.count
            decoder.decode(bytes, into: chunk)
            n = chunk.count - before
        }
        lock.lock()
        decoded += n
        stats = (decoder.clock.resets, decoder.clock.backwardSteps, decoder.invalidWords)
        lock.unlock()
    }

    func ended(_ error: USBError?) {
        lock.lock()
        if error != nil { gone = true }
        let delivered = decoded
        lock.unlock()
        queue.finish(error: error.map { CameraError.deviceGone(camera: name, eventsDelivered: delivered, cause: $0) })
    }

    var isGone: Bool { lock.lock(); defer { lock.unlock() }; return gone }
    var statistics: (resets: Int, backwardSteps: Int, invalidWords: Int) { lock.lock(); defer { lock.unlock() }; return stats }
}
