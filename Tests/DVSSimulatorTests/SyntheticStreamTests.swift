import DVSEvents
import Testing
@testable import DVSSimulator

@Suite("SyntheticStream")
struct SyntheticStreamTests {
    @Test("chunks belong to one sample each, inside its span; spans follow each other after the gap")
    func labelBoundaries() throws {
        let stream = SyntheticStream(task: .motion, settings: quickSettings, seed: 8, sampleCount: 3, gap: 20_000,
                                     chunkDuration: 10_000)
        #expect(stream.info.sensor == quickSettings.sensor)
        #expect(stream.info["task"] == "motion")
        let chunk = EventBuffer()
        var spans: [SampleSpan] = []
        var chunksPerSpan: [Int: Int] = [:]
        var lastTime = Microseconds.min
        var all = EventBuffer()
        while try stream.read(into: chunk) {
            let span = try #require(stream.chunkSpan)
            if spans.last != span { spans.append(span) }
            chunksPerSpan[span.index, default: 0] += 1
            for t in chunk.t {
                #expect(t >= span.start && t < span.end, "event at \(t) outside \(span)")
                #expect(t >= lastTime)
                lastTime = t
            }
            all.append(contentsOf: chunk)
        }
        #expect(chunk.isEmpty && stream.chunkSpan == nil)
        #expect(try stream.read(into: chunk) == false, "the end stays the end")
        // 150 ms samples, 20 ms gaps: starts at 0, 170 ms, 340 ms.
        #expect(spans.map(\.start) == [0, 170_000, 340_000])
        #expect(spans.map(\.end) == [150_000, 320_000, 490_000])
        #expect(spans.map(\.index) == [0, 1, 2])
        #expect(chunksPerSpan == [0: 15, 1: 15, 2: 15])
        #expect(spans == (0..<3).map(stream.span(ofSample:)), "spans are known ahead of the stream")
        // The stream's samples are the generator's samples, shifted to their start.
        var generator = SampleGenerator(task: .motion, settings: quickSettings, seed: 8)
        let expected = EventBuffer()
        for span in spans {
            #expect(span.label == generator.label(ofSample: span.index))
            generator.generate(sample: span.index, startingAt: span.start, into: expected)
        }
        #expect(all.events == expected.events)
        all = EventBuffer()
    }

    @Test("an endless stream keeps going")
    func endless() throws {
        let stream = SyntheticStream(task: .digits, settings: quickSettings, seed: 1, chunkDuration: 150_000)
        let chunk = EventBuffer()
        for i in 0..<4 {
            #expect(try stream.read(into: chunk))
            #expect(stream.chunkSpan?.index == i)
            #expect(!chunk.isEmpty)
        }
    }
}
