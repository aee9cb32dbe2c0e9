import Benchmarks

/// `ottt bench usb-decode`: how fast each camera family's USB words decode into events.
struct BenchUSBDecodeCommand: Command {
    static let name = "usb-decode"
    static let abstract = "Camera word decoding rate per family (DVS128, DAVIS, DVXplorer), M events/s."
    static let usage = """
    usage: ottt bench usb-decode [--events N] [--runs R] [--json]

    Builds N synthetic events (default 5,000,000) as the USB words of each family — DVS128 4-byte words, DAVIS
    row/column words, DVXplorer 8-pixel groups — in 8 KiB transfers with timestamp wraps, checks that decoding gives
    the events back, then prints the best of R runs (default 5) in millions of events per second.
    Build with -c release for figures.

    Example:
      ottt bench usb-decode --events 10000000
    """

    var options = USBDecodeBenchmark.Options()
    let json: Bool

    init(arguments: Arguments) throws {
        var a = arguments
        options.events = try a.positiveInt("events", default: options.events)
        options.runs = try a.positiveInt("runs", default: options.runs)
        json = a.flag("json")
        try a.finish()
    }

    func run() throws {
        try USBDecodeBenchmark.run(options) { r in try BenchOutput.print(r, json: json, line: r.line) }
    }
}
