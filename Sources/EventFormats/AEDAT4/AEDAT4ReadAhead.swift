import Glibc

/// Reads and decompresses AEDAT 4 event packets on a thread of its own, at most `slots − 1` packets ahead of the
/// caller, who converts one packet while the next is decompressed (the second core's share of the work: for
/// ZSTD, whose decompression is bounded by libzstd on one core, the only way forward).
///
/// Bounded: `slots` buffers (three: one being converted, up to two ahead); the thread waits when all are full. The
/// caller takes a slot with `next()` and hands it back with `release()`. The scanner is the thread's alone until
/// `stop()` (or deinit), which ends the thread and waits for it.
final class AEDAT4ReadAhead: @unchecked Sendable {
    /// One packet read ahead: its bytes, or the end of the packets, or the error that stopped the reading.
    final class Slot: @unchecked Sendable {
        enum Content { case packet, end, failure(EventFormatError) }
        let buffer = PacketBuffer()
        var content = Content.end
        /// Where the packet's header starts, and where it ends.
        var at: Int64 = 0
        var end: Int64 = 0
        /// The scanner's count of skipped packets of other streams when this slot was filled.
        var skipped: [Int32: Int] = [:]
    }

    private let scanner: AEDAT4PacketScanner
    private let slots: [Slot]
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Slots filled and slots handed back so far (guarded by `lock`); filled − released ≤ slots.count.
    private var filled = 0, released = 0
    private var stopping = false
    private var thread = pthread_t()
    private var running = false

    init(scanner: AEDAT4PacketScanner, slots: Int = 3) {
        precondition(slots >= 2, "read-ahead needs at least 2 slots, got \(slots)")
        self.scanner = scanner
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
        pthread_mutex_unlock(lock)
        return slot
    }

    /// Hands the slot from `next()` back to the thread.
    func release() {
        pthread_mutex_lock(lock)
        released += 1
        pthread_cond_signal(changed)
        pthread_mutex_unlock(lock)
    }

    /// Ends the thread and waits for it; the scanner is the caller's again.
    func stop() {
        pthread_mutex_lock(lock)
        stopping = true
        pthread_cond_signal(changed)
        pthread_mutex_unlock(lock)
        if running {
            pthread_join(thread, nil)
            running = false
        }
    }

    /// The thread: fill slots in order until the packets end, an error, or `stop()`.
    private func work() {
        var index = 0
        while true {
            pthread_mutex_lock(lock)
            while filled - released == slots.count && !stopping { pthread_cond_wait(changed, lock) }
            let stop = stopping
            pthread_mutex_unlock(lock)
            if stop { return }
            let slot = slots[index % slots.count]
            var last = false
            do {
                if let packet = try scanner.next(into: slot.buffer) {
                    slot.content = .packet
                    slot.at = packet.at
                    slot.end = packet.end
                } else {
                    slot.content = .end
                    last = true
                }
            } catch {
                slot.content = .failure(error)
                slot.at = scanner.current
                last = true
            }
            slot.skipped = scanner.skippedPackets
            pthread_mutex_lock(lock)
            filled += 1
            pthread_cond_signal(changed)
            pthread_mutex_unlock(lock)
            index += 1
            if last { return }
        }
    }
}
