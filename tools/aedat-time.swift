// Times EventFormats' readers and the AEDAT 4 writer on given files, one thread and with read-ahead, the same way
// `ottt bench decode` times decoding (best of N by the calling thread's CPU time; wall and process CPU beside
// it), until `ottt bench decode --peers` does it. Built and run by tools/aedat-time against a release build:
//   tools/aedat-time [--runs N] read|read-ahead|write-none|write-lz4|write-zstd FILE ...
// One JSON line per case.
import DVSEvents
import EventFormats
import Glibc

func clock(_ id: clockid_t) -> Double {
    var ts = timespec()
    clock_gettime(id, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func read(_ path: String, readAhead: Bool) throws -> Int {
    var options = ReadOptions()
    options.readAhead = readAhead
    let reader = try EventFile.open(path: path, format: nil, options: options)
    let chunk = EventBuffer(capacity: options.chunkSize)
    var n = 0
    while try reader.read(into: chunk) { n += chunk.count }
    return n
}

func write(_ events: [EventBuffer], sensor: SensorSize, compression: WriteOptions.Compression) throws -> Int {
    var options = WriteOptions()
    options.compression = compression
    options.eventsPerPacket = 10_000
    let path = "/tmp/aedat-time-\(getpid()).aedat4"
    defer { unlink(path) }
    let writer = try AEDAT4Writer(path: path, sensor: sensor, options: options)
    var n = 0
    for chunk in events {
        try writer.write(chunk)
        n += chunk.count
    }
    try writer.finish()
    return n
}

var arguments = Array(CommandLine.arguments.dropFirst())
var runs = 5
if arguments.first == "--runs", arguments.count > 1, let r = Int(arguments[1]), r > 0 {
    runs = r
    arguments.removeFirst(2)
}
guard !arguments.isEmpty, arguments.count % 2 == 0 else {
    fputs("usage: aedat-time [--runs N] read|read-ahead|write-none|write-lz4|write-zstd FILE ...\n", stderr)
    exit(64)
}
for k in stride(from: 0, to: arguments.count, by: 2) {
    let (mode, path) = (arguments[k], arguments[k + 1])
    var work: () throws -> Int
    switch mode {
    case "read": work = { try read(path, readAhead: false) }
    case "read-ahead": work = { try read(path, readAhead: true) }
    case "write-none", "write-lz4", "write-zstd":
        let reader = try EventFile.open(path: path, format: nil)
        var chunks: [EventBuffer] = []
        while true {
            let b = EventBuffer()
            guard try reader.read(into: b) else { break }
            chunks.append(b)
        }
        let compression = WriteOptions.Compression(rawValue: String(mode.dropFirst(6))) ?? .lz4
        work = { try write(chunks, sensor: reader.info.sensor, compression: compression) }
    default:
        fputs("aedat-time: no mode '\(mode)'\n", stderr)
        exit(64)
    }
    var best = (cpu: Double.infinity, process: 0.0, wall: 0.0, n: 0)
    for _ in 0..<runs {
        let (c0, p0, w0) = (clock(CLOCK_THREAD_CPUTIME_ID), clock(CLOCK_PROCESS_CPUTIME_ID), clock(CLOCK_MONOTONIC))
        let n = try work()
        let (c1, p1, w1) = (clock(CLOCK_THREAD_CPUTIME_ID), clock(CLOCK_PROCESS_CPUTIME_ID), clock(CLOCK_MONOTONIC))
        if c1 - c0 < best.cpu { best = (c1 - c0, p1 - p0, w1 - w0, n) }
    }
    print("{\"reader\": \"ottt\", \"case\": \"\(mode)\", \"file\": \"\(path)\", \"events\": \(best.n), \"runs\": \(runs), "
          + "\"best_thread_cpu_s\": \(best.cpu), \"process_cpu_s\": \(best.process), \"wall_s\": \(best.wall), "
          + "\"mevents_per_s\": \(Double(best.n) / best.cpu / 1e6)}")
}
