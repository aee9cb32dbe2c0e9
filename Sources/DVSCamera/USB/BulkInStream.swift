internal import CLibUSB
import Foundation

/// Several asynchronous bulk IN transfers kept in flight on one endpoint, resubmitted as they complete.
///
/// `onData` runs on the context's event thread with the bytes of each completed transfer. A transfer is
/// resubmitted only when it completed normally; an error, a stall, a vanished device or a cancellation we did not
/// ask for ends it (libcaer's rule, usb_utils.c). When the last transfer has ended, `onEnd` runs once with the
/// first failure, or nil when the stream was cancelled by `cancel()`.
final class BulkInStream: @unchecked Sendable {
    let endpoint: UInt8
    private let handle: USBDeviceHandle
    private let onData: (UnsafeRawBufferPointer) -> Void
    private let onEnd: (USBError?) -> Void
    private var transfers: [UnsafeMutablePointer<libusb_transfer>] = []
    private let condition = NSCondition()
    private var inFlight = 0
    private var cancelling = false
    private var failure: USBError?
    private var ended = false

    init(handle: USBDeviceHandle, endpoint: UInt8, transferCount: Int, transferSize: Int,
         onData: @escaping (UnsafeRawBufferPointer) -> Void, onEnd: @escaping (USBError?) -> Void) {
        precondition(transferCount > 0 && transferSize > 0,
                     "a bulk stream needs transfers, got \(transferCount) × \(transferSize) B")
        self.handle = handle
        self.endpoint = endpoint
        self.onData = onData
        self.onEnd = onEnd
        let me = Unmanaged.passUnretained(self).toOpaque()
        for _ in 0..<transferCount {
            guard let t = libusb_alloc_transfer(0) else { preconditionFailure("libusb_alloc_transfer: out of memory") }
            let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: transferSize)
            libusb_fill_bulk_transfer_swift(t, handle.raw, endpoint, buffer, Int32(transferSize), me)
            transfers.append(t)
        }
    }

    deinit {
        condition.lock()
        let busy = inFlight
        condition.unlock()
        precondition(busy == 0, "a bulk stream was released with \(busy) transfers in flight; call cancel() first")
        for t in transfers {
            t.pointee.buffer.deallocate()
            libusb_free_transfer(t)
        }
    }

    /// Submits every transfer. If a submission fails, the ones already submitted are cancelled and the error thrown.
    func start() throws(USBError) {
        for t in transfers {
            condition.lock()
            let r = libusb_submit_transfer(t)
            if r == 0 { inFlight += 1 }
            condition.unlock()
            if r != 0 {
                cancel()
                throw USBError(code: r, operation: "submit bulk transfer on endpoint 0x\(String(endpoint, radix: 16))")
            }
        }
    }

    /// Cancels the transfers in flight and waits until every one has come back.
    func cancel() {
        condition.lock()
        cancelling = true
        if inFlight > 0 {
            for t in transfers { libusb_cancel_transfer(t) }
        }
        while inFlight > 0 { condition.wait() }
        condition.unlock()
    }

    /// Whether transfers are still in flight.
    var isRunning: Bool {
        condition.lock()
        defer { condition.unlock() }
        return inFlight > 0
    }

    fileprivate func completed(_ t: UnsafeMutablePointer<libusb_transfer>) {
        let status = t.pointee.status
        if status == LIBUSB_TRANSFER_COMPLETED {
            onData(UnsafeRawBufferPointer(start: t.pointee.buffer, count: Int(t.pointee.actual_length)))
        }
        condition.lock()
        var resubmitted = false
        if status == LIBUSB_TRANSFER_COMPLETED && !cancelling && failure == nil {
            let r = libusb_submit_transfer(t)
            if r == 0 {
                resubmitted = true
            } else {
                failure = USBError(code: r, operation: "resubmit bulk transfer on endpoint 0x\(String(endpoint, radix: 16))")
            }
        } else if status != LIBUSB_TRANSFER_COMPLETED && !(status == LIBUSB_TRANSFER_CANCELLED && cancelling) {
            if failure == nil { failure = Self.error(for: status, endpoint: endpoint) }
        }
        if !resubmitted { inFlight -= 1 }
        let last = inFlight == 0 && !ended
        if last { ended = true }
        let end = failure
        condition.broadcast()
        condition.unlock()
        if last { onEnd(end) }
    }

    private static func error(for status: libusb_transfer_status, endpoint: UInt8) -> USBError {
        let op = "bulk transfer on endpoint 0x\(String(endpoint, radix: 16))"
        switch status {
        case LIBUSB_TRANSFER_NO_DEVICE, LIBUSB_TRANSFER_CANCELLED: return USBError(code: USBError.noDevice, operation: op)
        case LIBUSB_TRANSFER_STALL: return USBError(code: USBError.pipe, operation: op)
        case LIBUSB_TRANSFER_TIMED_OUT: return USBError(code: USBError.timeout, operation: op)
        default: return USBError(code: USBError.io, operation: op)
        }
    }
}

/// libusb's `libusb_fill_bulk_transfer` is a static inline function, which Swift cannot import: the same fields here.
private func libusb_fill_bulk_transfer_swift(
    _ t: UnsafeMutablePointer<libusb_transfer>, _ handle: OpaquePointer, _ endpoint: UInt8,
    _ buffer: UnsafeMutablePointer<UInt8>, _ length: Int32, _ userData: UnsafeMutableRawPointer
) {
    t.pointee.dev_handle = handle
    t.pointee.endpoint = endpoint
    t.pointee.type = UInt8(LIBUSB_TRANSFER_TYPE_BULK.rawValue)
    t.pointee.timeout = 0
    t.pointee.buffer = buffer
    t.pointee.length = length
    t.pointee.user_data = userData
    t.pointee.callback = bulkTransferCallback
}

private let bulkTransferCallback: libusb_transfer_cb_fn = { t in
    guard let t, let me = t.pointee.user_data else { return }
    Unmanaged<BulkInStream>.fromOpaque(me).takeUnretainedValue().completed(t)
}
