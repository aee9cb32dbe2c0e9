import Glibc

/// Reads AEDAT 4 event packets on a thread of its own and shares their decompression with the caller: the thread
/// reads packets ahead (their compressed bytes: a copy from the page cache) and decompresses the odd ones, the
/// caller decompresses the even ones (and any the thread has not started when the caller needs it) and converts
/// them all. Both cores decompress, so ZSTD, bounded by libzstd on one core, goes about twice as fast; packets
/// are still delivered in file order. Uncompressed packets are only copied ahead.
///
/// Bounded: `slots` packets in flight (four: one being converted, up to three read ahead), each with its
/// compressed and its plain bytes; the thread waits when all are full. The caller takes a slot with `next()` and
/// hands it back with `release()`. The scanner is the thread's alone until `stop()` (or deinit), which ends the
/// thread and waits for it.
final class AEDAT4ReadAhead: @unchecked Sendable {
    /// One packet read ahead: its bytes, or the end of the packets, or the error that stopped the reading.
    final class Slot: @unchecked Sendable {
        enum Content { case packet, end, failure(EventFormatError) }
        /// Where a packet still to decompress stays (`stage == .compressed`).
        let raw = PacketBuffer(capacity: 1 << 16)
        /// The packet's plain bytes, once `stage == .plain`.
        let buffer = PacketBuffer()
        var content = Content.end
        /// Whether the packet is plain yet, or still compressed, or being decompressed (guarded by the lock).
        var stage = Stage.plain
        /// Where the packet's header starts, and where it ends.
        var at: Int64 = 0
        var end: Int64 = 0
        /// The scanner's count of skipped packets of other streams when this slot was filled.
        var skipped: [Int32: Int] = [:]
    }

    enum Stage { case plain, compressed, decompressing }

    private let scanner: AEDAT4PacketScanner
    private let compressed: Bool
    private let slots: [Slot]
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Slots filled and slots handed back so far (guarded by `lock`); filled − released ≤ slots.count.
    private var filled = 0, released = 0
    /// The thread has read the last slot (the end or an error).
    private var ended = false
    private var stopping = false
    private var thread = pthread_t()
    private var running = false
    /// Each thread decompresses with a context of its own.
    private let callerDecompressor = FrameDecompressor()
    private let threadDecompressor = FrameDecompressor()

    init(scanner: AEDAT4PacketScanner, slots: Int = 4) {
        precondition(slots >= 2, "read-ahead needs at least 2 slots, got \(slots)")
        self.scanner = scanner
        compressed = scanner.compression != .none
        self.slots = (0..<slots).map { _ in Slot() }
        pthread_mutex_init(lock, nil)
        pthread_cond_init(changed, nil)
        let context = Unmanaged.passRetained(self).toOpaque()
        let code = pthread_create(&thread, nil, { context in
            let me = Unmanaged<AEDAT4ReadAhead>.fromOpaque(context!).takeRetainedValue()
            me.work()
            return nil
        }, context)
        if code == 0 {
            running = true
        } else {
            // No thread: the caller gets the error from the first slot.
            Unmanaged<AEDAT4ReadAhead>.fromOpaque(context).release()
            self.slots[0].content = .failure(EventFormatError(.ioFailure, file: scanner.path, offset: nil,
                                                         expected: "a read-ahead thread", found: "pthread_create error \(code)"))
            filled = 1
            ended = true
        }
    }

    deinit {
        pthread_mutex_destroy(lock)
        pthread_cond_destroy(changed)
        lock.deallocate()
        changed.deallocate()
    }

    /// The next slot in file order, waiting for the thread if it is not filled yet. Hand it back with `release()`
    /// before asking for another.
    func next() -> Slot {
        pthread_mutex_lock(lock)
        while filled == released { pthread_cond_wait(changed, lock) }
        let slot = slots[released % slots.count]
        if slot.stage == .compressed {
            slot.stage = .decompressing
            pthread_mutex_unlock(lock)
            decompress(slot, using: callerDecompressor)
            pthread_mutex_lock(lock)
            slot.stage = .plain
        }
        while slot.stage != .plain { pthread_cond_wait(changed, lock) }
        pthread_mutex_unlock(lock)
        return slot
    }

    /// Hands the slot from `next()` back to the thread.
    func release() {
        pthread_mutex_lock(lock)
        released += 1
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(lock)
    }

    /// Ends the thread and waits for it; the scanner is the caller's again.
    func stop() {
        pthread_mutex_lock(lock)
        stopping = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(lock)
        if running {
            pthread_join(thread, nil)
            running = false
        }
    }

    /// Decompresses a slot's packet (outside the lock: the slot is this thread's while `.decompressing`).
    private func decompress(_ slot: Slot, using decompressor: FrameDecompressor) {
        do {
            try AEDAT4PacketScanner.decompress(slot.raw, at: slot.at, into: slot.buffer, compression: scanner.compression,
                                               path: scanner.path, using: decompressor)
        } catch {
            slot.content = .failure(error)
        }
    }

    /// The thread: read packets ahead while a slot is free (cheap), else decompress the oldest odd packet still
    /// compressed; until the packets end, an error, or `stop()`.
    private func work() {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        while !stopping {
            if !ended && filled - released < slots.count {
                let slot = slots[filled % slots.count]
                pthread_mutex_unlock(lock)
                fill(slot)
                pthread_mutex_lock(lock)
                if case .packet = slot.content {} else { ended = true }
                filled += 1
                pthread_cond_broadcast(changed)
            } else if let k = stride(from: released | 1, to: filled, by: 2).first(where: {
                slots[$0 % slots.count].stage == .compressed
            }) {
                let slot = slots[k % slots.count]
                slot.stage = .decompressing
                pthread_mutex_unlock(lock)
                decompress(slot, using: threadDecompressor)
                pthread_mutex_lock(lock)
                slot.stage = .plain
                pthread_cond_broadcast(changed)
            } else if ended {
                return
            } else {
                pthread_cond_wait(changed, lock)
            }
        }
    }

    /// Reads the next packet into a slot: its compressed bytes (to decompress later), or its plain bytes.
    private func fill(_ slot: Slot) {
        do {
            if let packet = try scanner.next(into: compressed ? slot.raw : slot.buffer, compressed: compressed) {
                slot.content = .packet
                slot.stage = compressed ? .compressed : .plain
                slot.at = packet.at
                slot.end = packet.end
            } else {
                slot.content = .end
                slot.stage = .plain
            }
        } catch {
            slot.content = .failure(error)
            slot.stage = .plain
            slot.at = scanner.current
        }
        slot.skipped = scanner.skippedPackets
    }
}
