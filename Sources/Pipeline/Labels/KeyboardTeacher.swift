import Foundation

/// Where `--teach` reads keys from: the terminal in raw mode, or a test's scripted keys.
public protocol KeyInput: AnyObject, Sendable {
    /// The next key, or nil after a short wait without one (so that a reading thread can stop).
    func readKey() -> UInt8?
    /// Gives the input back as it was (the terminal leaves raw mode).
    func restore()
}

/// Teaching from the keyboard: keys 0–9 set the label (name k of `--labels`), space or `-` clears it, `l` switches
/// learning off and on, `r` clears the neuron state, `q` stops. The browser view's controls do the same.
final class KeyboardTeacher: @unchecked Sendable {
    // @unchecked: `running` is guarded by `lock`; the terminal is used by the key thread only.
    private let terminal: any KeyInput
    private let board: LabelBoard
    private let classes: Int
    private let onQuit: @Sendable () -> Void
    private let lock = NSLock()
    private var running = true
    private var thread: Thread?

    init(terminal: any KeyInput, board: LabelBoard, classes: Int, onQuit: @escaping @Sendable () -> Void) {
        self.terminal = terminal
        self.board = board
        self.classes = classes
        self.onQuit = onQuit
    }

    func start() {
        let t = Thread { [self] in
            while isRunning {
                guard let key = terminal.readKey() else { continue }
                handle(key)
            }
        }
        t.name = "ottt-keys"
        thread = t
        t.start()
    }

    /// What a key does: the label a digit names (ignored past the network's classes), none, or quit.
    func handle(_ key: UInt8) {
        switch key {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            let k = Int(key - UInt8(ascii: "0"))
            if k < classes { board.post(LabelChange(when: .now, label: k)) }
        case UInt8(ascii: " "), UInt8(ascii: "-"):
            board.post(LabelChange(when: .now, label: nil))
        case UInt8(ascii: "l"):
            board.setLearning(!board.isLearningOn)
        case UInt8(ascii: "r"):
            board.requestReset()
        case UInt8(ascii: "q"), 3, 4:                  // q, Ctrl-C, Ctrl-D
            onQuit()
        default:
            break
        }
    }

    private var isRunning: Bool { lock.lock(); defer { lock.unlock() }; return running }

    /// Stops the key thread and puts the terminal back.
    func stop() {
        lock.lock(); running = false; lock.unlock()
        while let t = thread, !t.isFinished { usleep(5000) }
        terminal.restore()
    }
}

extension Teaching {
    /// The keys `KeyboardTeacher.handle` understands, as one line for a view's legend: digits up to the network's
    /// `classes` (at most 0–9).
    public static func keyLegend(classes: Int) -> String {
        let digits = classes <= 1 ? "0" : "0–\(min(classes, 10) - 1)"
        return "keys: \(digits) teach that class · space no label · l learning on/off · r reset the neurons · q quit"
    }
}
