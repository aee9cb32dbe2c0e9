import Foundation
import SNN
import Tensors
import Training

/// `ottt bench train`: training and inference speed and peak memory of the engine on the presets.
struct TrainBenchmark: Command {
    static let name = "train"
    static let abstract = "Training/inference speed and peak RSS (OTTT_A, OTTT_O, BPTT; memory against T as SVG)."
    static let usage = """
    usage: ottt bench train [--preset P] [--rule R] [--steps T] [--batch B] [--seconds S] [--json]
           ottt bench train --sweep [--preset P] [--batch B] [--steps 5,10,20,40,80] [--chart FILE.svg]

    Times the engine on synthetic dense frames shaped like normalised CIFAR10-DVS input (each pixel has an event
    with probability 0.3, normalised with the paper's mean and std), after checking the engine against the PyTorch
    reference file when it is found. Prints samples/s (training) or time steps/s (--rule infer), the matrix-product
    rate reached (6 flops per multiply-add and step for training: forward, weight and input gradients; 2 for
    inference), the firing rate of each spiking layer, and the peak resident memory of the process.

      --preset P     paper-cifar10dvs | small32 | small48 (default small32)
      --rule R       ottt-a | ottt-o | bptt | infer (default ottt-a)
      --steps T      time steps per sample (default 10); with --sweep a comma-separated list
      --batch B      batch size (default 1)
      --seconds S    time at least S seconds after one warm-up batch (default 3)
      --sweep        run every rule at every T in a fresh process each (peak RSS is per process) and print a table
      --chart FILE   with --sweep, an SVG of peak RSS against T per rule
      --reference F  the reference file checked first (default ../shared/reference/ottt_small.safetensors)

    OpenBLAS honours OPENBLAS_CORETYPE and OPENBLAS_NUM_THREADS from the environment; the kernel in use is printed.

    Example:
      ottt bench train --preset paper-cifar10dvs --batch 16
      ottt bench train --sweep --preset small32 --chart memory.svg
    """

    let preset: String
    let rule: String
    let steps: [Int]
    let batch: Int
    let seconds: Double
    let json: Bool
    let sweep: Bool
    let chart: String?
    let reference: String

    init(arguments: Arguments) throws {
        var a = arguments
        preset = try a.option("preset") ?? "small32"
        guard NetworkSpec.preset(preset) != nil else { throw UsageError("no preset '\(preset)' (\(NetworkSpec.presetNames.joined(separator: ", ")))") }
        rule = try a.option("rule") ?? "ottt-a"
        guard rule == "infer" || LearningRuleKind(rawValue: rule) != nil else { throw UsageError("no rule '\(rule)'") }
        sweep = a.flag("sweep")
        let stepText = try a.option("steps") ?? (sweep ? "5,10,20,40,80" : "10")
        steps = try stepText.split(separator: ",").map {
            guard let t = Int($0), t > 0 else { throw UsageError("--steps: cannot use '\(stepText)'") }
            return t
        }
        guard sweep || steps.count == 1 else { throw UsageError("several --steps need --sweep") }
        batch = try a.option("batch", default: 1) { Int($0).flatMap { $0 > 0 ? $0 : nil } }
        seconds = try a.option("seconds", default: 3) { Double($0).flatMap { $0 >= 0 ? $0 : nil } }
        json = a.flag("json")
        chart = try a.option("chart")
        guard chart == nil || sweep else { throw UsageError("--chart needs --sweep") }
        reference = try a.option("reference") ?? "../shared/reference/ottt_small.safetensors"
        try a.finish()
    }

    func run() throws {
        if sweep { return try runSweep() }
        try checkEngine()
        let result = measure(steps: steps[0])
        if json {
            print(result.json)
        } else {
            print(result.text)
        }
    }

    // MARK: One configuration

    struct Result {
        var preset: String, rule: String, steps: Int, batch: Int
        var perSecond: Double          // samples/s (training) or time steps/s (inference)
        var gflops: Double
        var firingRates: [Double]
        var peakRSS: Int               // bytes
        var cpuShare: Double           // CPU seconds used per wall second over the timing (at most the threads)
        var core: String, threads: Int

        var unit: String { rule == "infer" ? "time steps/s" : "samples/s" }
        var text: String {
            let rates = firingRates.map { String(format: "%.3f", $0) }.joined(separator: " ")
            return String(format: "%@ %@ T=%d B=%d: %.2f %@, %.0f GFLOP/s, peak RSS %.0f MiB (firing rates %@; OpenBLAS %@, %d threads; %.2f CPUs busy)",
                          preset, rule, steps, batch, perSecond, unit, gflops, Double(peakRSS) / 1048576, rates, core, threads, cpuShare)
        }
        var json: String {
            "{\"benchmark\": \"train\", \"preset\": \"\(preset)\", \"rule\": \"\(rule)\", \"steps\": \(steps), \"batch\": \(batch), "
                + "\"per_second\": \(String(format: "%.3f", perSecond)), \"unit\": \"\(unit)\", \"gflops\": \(String(format: "%.1f", gflops)), "
                + "\"firing_rates\": [\(firingRates.map { String(format: "%.4f", $0) }.joined(separator: ", "))], "
                + "\"peak_rss_bytes\": \(peakRSS), \"cpus_busy\": \(String(format: "%.2f", cpuShare)), \"openblas_core\": \"\(core)\", \"threads\": \(threads)}"
        }
    }

    func measure(steps T: Int) -> Result {
        let spec = NetworkSpec.preset(preset)!
        let net = Network(spec: spec, seed: 1)
        let frames = TrainBenchmark.frames(T, batch: batch, input: spec.input, seed: 7)
        var g = SeededGenerator(seed: 3)
        let labels = (0..<batch).map { _ in Int(g.next() % UInt64(spec.classes)) }
        var rates = [Double](repeating: 0, count: 0)
        var rateSamples = 0
        func noteRates() {
            let r = net.firingRates
            if rates.isEmpty { rates = r } else { for i in r.indices { rates[i] += r[i] } }
            rateSamples += 1
        }
        var count = 0
        let elapsed: Double
        var cpuStart = 0.0
        if rule == "infer" {
            net.reset(batchSize: batch, mode: .none, training: false)
            for f in frames { net.step(f); noteRates() }   // warm-up, with the firing rates
            cpuStart = cpuSeconds()
            let start = DispatchTime.now().uptimeNanoseconds
            var now = start
            repeat {
                for f in frames { net.step(f) }
                count += frames.count
                now = DispatchTime.now().uptimeNanoseconds
            } while Double(now - start) / 1e9 < seconds
            elapsed = Double(now - start) / 1e9
        } else {
            var learning = LearningRuleKind(rawValue: rule)!.make()
            let sgd = SGD(learningRate: 1e-4, momentum: 0.9)
            // Warm-up, with the firing rates.
            _ = learning.train(net, frames: frames, labels: labels, optimizer: sgd) { _, _ in noteRates() }
            cpuStart = cpuSeconds()
            let start = DispatchTime.now().uptimeNanoseconds
            var now = start
            repeat {
                _ = learning.train(net, frames: frames, labels: labels, optimizer: sgd)
                count += batch
                now = DispatchTime.now().uptimeNanoseconds
            } while Double(now - start) / 1e9 < seconds
            elapsed = Double(now - start) / 1e9
        }
        let cpuShare = (cpuSeconds() - cpuStart) / elapsed
        let perSecond = Double(count) / elapsed
        let macs = Double(net.multiplyAddsPerStep)
        let flops = rule == "infer" ? perSecond * Double(batch) * 2 * macs : perSecond * Double(T) * 6 * macs
        return Result(preset: preset, rule: rule, steps: T, batch: batch, perSecond: perSecond, gflops: flops / 1e9,
                      firingRates: rates.map { $0 / Double(max(rateSamples, 1)) }, peakRSS: peakResidentBytes(), cpuShare: cpuShare,
                      core: BLAS.coreName, threads: BLAS.threads)
    }

    /// Frames like normalised CIFAR10-DVS input: an event with probability 0.3 per pixel, normalised per polarity.
    /// At most 10 distinct frames are made and repeated, so that the input's memory does not grow with T (the
    /// figure is the engine's memory, not the data set's).
    static func frames(_ t: Int, batch: Int, input: [Int], seed: UInt64) -> [Tensor] {
        let distinct = distinctFrames(min(t, 10), batch: batch, input: input, seed: seed)
        return (0..<t).map { distinct[$0 % distinct.count] }
    }

    private static func distinctFrames(_ t: Int, batch: Int, input: [Int], seed: UInt64) -> [Tensor] {
        let mean: [Float] = [0.2728, 0.1295], std: [Float] = [0.2225, 0.1290]
        var g = SeededGenerator(seed: seed)
        let plane = input[1] * input[2]
        return (0..<t).map { _ in
            let f = Tensor(shape: [batch] + input)
            for i in 0..<f.count {
                let c = (i / plane) % input[0] % 2
                let x: Float = g.uniform() < 0.3 ? 1 : 0
                f.data[i] = (x - mean[c]) / std[c]
            }
            return f
        }
    }

    /// The engine agrees with PyTorch on the reference file before anything is timed.
    func checkEngine() throws {
        guard FileManager.default.fileExists(atPath: reference) else {
            printError("bench train: \(reference) not found; timing without the fidelity check")
            return
        }
        let failed = try ReferenceCheck(path: reference).run().filter { !$0.passed }
        guard failed.isEmpty else {
            throw CommandFailure("bench train: the engine disagrees with \(reference) on \(failed.map(\.name).joined(separator: ", "))")
        }
    }

    // MARK: Sweep

    func runSweep() throws {
        try checkEngine()
        let rules = ["ottt-a", "ottt-o", "bptt"]
        var results: [String: [(Int, Double, Double)]] = [:]   // rule → (T, per second, MiB)
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        if !json { print("\(preset), batch \(batch): samples/s and peak RSS per process") }
        for r in rules {
            for t in steps {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: executable)
                p.arguments = ["bench", "train", "--preset", preset, "--rule", r, "--steps", "\(t)", "--batch", "\(batch)",
                               "--seconds", "\(seconds)", "--json", "--reference", "/nonexistent"]
                let pipe = Pipe()
                p.standardOutput = pipe
                p.standardError = FileHandle.nullDevice
                try p.run()
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                p.waitUntilExit()
                guard p.terminationStatus == 0,
                      let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let rate = obj["per_second"] as? Double, let rss = obj["peak_rss_bytes"] as? Int
                else { throw CommandFailure("bench train: the run of \(r) at T = \(t) failed") }
                results[r, default: []].append((t, rate, Double(rss) / 1048576))
                if json { print(String(data: data, encoding: .utf8)!.trimmingCharacters(in: .whitespacesAndNewlines)) }
                else { print(String(format: "  %-7@ T=%-3d %8.2f samples/s  %7.0f MiB", r, t, rate, Double(rss) / 1048576)) }
            }
        }
        if let chart {
            let svg = MemoryChart.svg(title: "\(preset), batch \(batch): peak RSS against T", series: rules.map { ($0, results[$0] ?? []) })
            do { try svg.write(toFile: chart, atomically: true, encoding: .utf8) } catch {
                throw CommandFailure("cannot write \(chart): \(error.localizedDescription)")
            }
            if !json { print("wrote \(chart)") }
        }
    }
}

/// User and system CPU time of the process so far, in seconds.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// The process's peak resident set (VmHWM in /proc/self/status), in bytes; 0 when unavailable.
func peakResidentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kb * 1024
    }
    return 0
}

/// A line chart of peak memory against T, one line per rule, as a standalone SVG.
enum MemoryChart {
    static func svg(title: String, series: [(String, [(Int, Double, Double)])]) -> String {
        let (w, h, left, bottom, top, right) = (640.0, 400.0, 70.0, 50.0, 40.0, 130.0)
        let points = series.flatMap { $0.1 }
        let maxT = Double(points.map(\.0).max() ?? 1), maxM = max(points.map(\.2).max() ?? 1, 1) * 1.1
        func x(_ t: Double) -> Double { left + t / maxT * (w - left - right) }
        func y(_ m: Double) -> Double { h - bottom - m / maxM * (h - bottom - top) }
        let colors = ["#1f77b4", "#2ca02c", "#d62728", "#9467bd"]
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(w))" height="\(Int(h))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(w / 2)" y="22" text-anchor="middle" font-size="14">\(title)</text>
        <line x1="\(left)" y1="\(h - bottom)" x2="\(w - right)" y2="\(h - bottom)" stroke="black"/>
        <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(h - bottom)" stroke="black"/>
        <text x="\((left + w - right) / 2)" y="\(h - 12)" text-anchor="middle">time steps T</text>
        <text x="18" y="\(h / 2)" text-anchor="middle" transform="rotate(-90 18 \(h / 2))">peak RSS (MiB)</text>

        """
        for t in Set(points.map(\.0)).sorted() {
            out += "<text x=\"\(x(Double(t)))\" y=\"\(h - bottom + 16)\" text-anchor=\"middle\">\(t)</text>\n"
        }
        for i in 0...4 {
            let m = maxM * Double(i) / 4
            out += "<text x=\"\(left - 6)\" y=\"\(y(m) + 4)\" text-anchor=\"end\">\(Int(m))</text>\n"
            out += "<line x1=\"\(left)\" y1=\"\(y(m))\" x2=\"\(w - right)\" y2=\"\(y(m))\" stroke=\"#ddd\"/>\n"
        }
        for (i, (name, data)) in series.enumerated() {
            let c = colors[i % colors.count]
            let path = data.map { "\(x(Double($0.0))),\(y($0.2))" }.joined(separator: " ")
            out += "<polyline fill=\"none\" stroke=\"\(c)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            for p in data { out += "<circle cx=\"\(x(Double(p.0)))\" cy=\"\(y(p.2))\" r=\"3\" fill=\"\(c)\"/>\n" }
            out += "<text x=\"\(w - right + 10)\" y=\"\(top + 20 + Double(i) * 18)\" fill=\"\(c)\">\(name)</text>\n"
        }
        return out + "</svg>\n"
    }
}
