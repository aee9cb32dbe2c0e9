import DVSEvents
import EventFormats
import Testing
import TestSupport

@Suite("AEDAT 2.0 reader on the real DVS128 recordings")
struct AEDAT2ReaderTests {
    static let files = ["dvs128_alex_walking_again.aedat", "dvs128_cam255_right_clamp_test1.aedat"]

    func read(_ name: String, _ convention: DVS128Convention) throws -> (DecodedColumns, AEDAT2Reader) {
        var options = ReadOptions()
        options.dvs128Convention = convention
        let reader = try #require(try EventFile.open(path: SharedMaterial.recording(name), options: options) as? AEDAT2Reader)
        return (try DecodedColumns(reading: reader), reader)
    }

    @Test("jAER convention matches the summary's counts, ranges and digests", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason), arguments: files)
    func jAERConvention(name: String) throws {
        let summary = try FixtureSummary(path: SharedMaterial.recording(name + ".summary.json"))
        let (decoded, reader) = try read(name, .jAER)
        #expect(reader.info.sensor == .dvs128)
        #expect(reader.format == .aedat2)
        #expect(decoded.stats == summary.stats("polarity_events_jaer_convention"))
        #expect(decoded.digests == summary.digests("sha256_16_of_int64_fields_jaer"))
        let csv = try DecodedColumns.csv(path: SharedMaterial.recording(name + ".first1000.csv"),
                                         columns: ("t", "x_jaer", "y_jaer", "p_jaer"))
        #expect(decoded.prefix(1000).firstDifference(from: csv) == nil)
    }

    @Test("raw convention matches the raw fields", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason), arguments: files)
    func rawConvention(name: String) throws {
        let summary = try FixtureSummary(path: SharedMaterial.recording(name + ".summary.json"))
        let (decoded, _) = try read(name, .raw)
        #expect(decoded.stats == summary.stats("polarity_events_raw_fields"))
        #expect(decoded.digests == summary.digests("sha256_16_of_int64_fields_raw"))
        let csv = try DecodedColumns.csv(path: SharedMaterial.recording(name + ".first1000.csv"),
                                         columns: ("t", "x_raw", "y_raw", "p_raw"))
        #expect(decoded.prefix(1000).firstDifference(from: csv) == nil)
    }

    @Test("OTTT equals jAER; SpikingJelly 2021 transposes and flips both axes", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
    func otherConventions() throws {
        let name = Self.files[0]
        let (raw, _) = try read(name, .raw)
        let (jaer, _) = try read(name, .jAER)
        let (ottt, _) = try read(name, .ottt)
        let (sj, _) = try read(name, .spikingJelly2021)
        #expect(ottt == jaer)
        #expect(sj.t == raw.t)
        #expect(sj.x == raw.y.map { 127 - $0 })
        #expect(sj.y == raw.x.map { 127 - $0 })
        #expect(sj.p == raw.p.map { 1 - $0 })
    }

    @Test("the header is parsed: chip, line ending, data start", .enabled(if: SharedMaterial.isAvailable, SharedMaterial.skipReason))
    func header() throws {
        let (_, reader) = try read(Self.files[0], .jAER)
        #expect(reader.info["chip"] == "ch.unizh.ini.jaer.chip.retina.DVS128")
        #expect(reader.info["address layout"] == "dvs128")
        #expect(reader.info["header"]?.contains("4612 bytes") == true)
        #expect(reader.warnings.isEmpty)
    }
}
