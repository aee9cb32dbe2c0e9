import Foundation

/// Where `--teach` reads keys from: the terminal in raw mode, or a test's scripted keys.
public protocol KeyInput: AnyObject, Sendable {
    /// The next key, or nil after a short wait without one (so that a reading thread can stop).
    func readKey() -> UInt8?
    /// Gives the input back as it was (the terminal leaves raw mode).
    func restore()
}

/// The terminal in raw mode (keys arrive one by one, unechoed) for `--teach`; the saved settings are put back by
/// `restore()`, by `deinit`, and at process exit, so the shell is never left raw.
public final class RawTerminal: KeyInput, @unchecked Sendable {
    // @unchecked: `saved` is written once in init and read by restore.
    private let fd: Int32
    private let saved: termios
    nonisolated(unsafe) private static var toRestore: (Int32, termios)?

    /// Switches `fd` (stdin) to raw mode; nil when it is not a terminal.
    public init?(fd: Int32 = STDIN_FILENO) {
        guard isatty(fd) != 0 else { return nil }
        var settings = termios()
        guard tcgetattr(fd, &settings) == 0 else { return nil }
        self.fd = fd
        saved = settings
        var raw = settings
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutablePointer(to: &raw.c_cc) {
            $0.withMemoryRebound(to: cc_t.self, capacity: Int(NCCS)) { cc in
                cc[Int(VMIN)] = 0                      // read returns after 0.1 s without a key, so the thread can stop
                cc[Int(VTIME)] = 1
            }
        }
        tcsetattr(fd, TCSANOW, &raw)
        RawTerminal.toRestore = (fd, settings)
        atexit { RawTerminal.restoreSaved() }
    }

    deinit { restore() }

    public func restore() {
        var settings = saved
        tcsetattr(fd, TCSANOW, &settings)
        RawTerminal.toRestore = nil
    }

    private static func restoreSaved() {
        guard let (fd, saved) = toRestore else { return }
        var settings = saved
        tcsetattr(fd, TCSANOW, &settings)
    }

    /// The next key, or nil after 0.1 s without one.
    public func readKey() -> UInt8? {
        var byte: UInt8 = 0
        return read(fd, &byte, 1) == 1 ? byte : nil
    }
}

/// Teaching from the keyboard: keys 0–9 set the label (name k of `--labels`), space or `-` clears it, `q` stops.
public final class KeyboardTeacher: @unchecked Sendable {
    // @unchecked: `running` is guarded by `lock`; the terminal is used by the key thread only.
    private let terminal: any KeyInput
    private let board: LabelBoard
    private let classes: Int
    private let onQuit: @Sendable () -> Void
    private let lock = NSLock()
    private var running = true
    private var thread: Thread?

    public init(terminal: any KeyInput, board: LabelBoard, classes: Int, onQuit: @escaping @Sendable () -> Void) {
        self.terminal = terminal
        self.board = board
        self.classes = classes
        self.onQuit = onQuit
    }

    public func start() {
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
    public func handle(_ key: UInt8) {
        switch key {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            let k = Int(key - UInt8(ascii: "0"))
            if k < classes { board.post(LabelChange(when: .now, label: k)) }
        case UInt8(ascii: " "), UInt8(ascii: "-"):
            board.post(LabelChange(when: .now, label: nil))
        case UInt8(ascii: "q"), 3, 4:                  // q, Ctrl-C, Ctrl-D
            onQuit()
        default:
            break
        }
    }

    private var isRunning: Bool { lock.lock(); defer { lock.unlock() }; return running }

    /// Stops the key thread and puts the terminal back.
    public func stop() {
        lock.lock(); running = false; lock.unlock()
        while let t = thread, !t.isFinished { usleep(5000) }
        terminal.restore()
    }
}

/// Teaching from a script (`--teach-from FILE|-`): each line `WHEN LABEL` is posted to the board as it is read,
/// so a script on stdin can teach while the stream runs. Bad lines are reported and skipped.
public final class ScriptTeacher: @unchecked Sendable {
    private let handle: FileHandle
    private let source: String
    private let streaming: Bool
    private let board: LabelBoard
    private let names: [String]
    private let classes: Int
    private let report: @Sendable (String) -> Void

    /// Reads `path`, or standard input for `-`.
    public convenience init(path: String, board: LabelBoard, names: [String], classes: Int,
                            report: @escaping @Sendable (String) -> Void) throws(PipelineError) {
        if path == "-" {
            self.init(reading: .standardInput, source: "stdin", streaming: true, board: board, names: names,
                      classes: classes, report: report)
            return
        }
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw PipelineError(file: path, expected: "a readable teaching script", found: "no such file or no access")
        }
        self.init(reading: h, source: path, streaming: false, board: board, names: names, classes: classes,
                  report: report)
    }

    /// Reads `handle`, named `source` in messages. A streaming input (stdin, a pipe) is read on its own thread as
    /// lines arrive; a file is read whole by `start()`.
    public init(reading handle: FileHandle, source: String, streaming: Bool, board: LabelBoard, names: [String],
                classes: Int, report: @escaping @Sendable (String) -> Void) {
        self.handle = handle
        self.source = source
        self.streaming = streaming
        self.board = board
        self.names = names
        self.classes = classes
        self.report = report
    }

    /// Reads a whole file at once (times in it apply as the stream reaches them); stdin on its own thread.
    public func start() {
        if !streaming { readAll(); return }
        let t = Thread { [self] in readAll() }
        t.name = "ottt-teach"
        t.start()
    }

    private func readAll() {
        var pending = Data()
        var lineNumber = 0
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                lineNumber += 1
                post(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self), lineNumber)
                pending.removeSubrange(pending.startIndex...newline)
            }
        }
        if !pending.isEmpty { post(String(decoding: pending, as: UTF8.self), lineNumber + 1) }
    }

    private func post(_ line: String, _ n: Int) {
        do {
            if let change = try LabelChange(parsing: line, names: names, classes: classes, source: source, lineNumber: n) {
                board.post(change)
            }
        } catch {
            report("\(error) (skipped)")
        }
    }
}
