import Foundation
import IonicsBatch
import Testing

@Suite("Sweep files: limits checked before values are generated, overlapping paths, file identity")
struct SweepSpecLimitTests {
    @Test("one huge count is refused before its values are generated, naming the key")
    func hugeCount() {
        let found = problems("""
            {"base": "b.json", "axes": [{"path": "layers[1].thickness", "linear": {"from": "1 nm", "to": "2 nm", "count": 1e9}}]}
            """)
        #expect(found.contains { $0.contains("axes[0].linear.count") && $0.contains("limit of 1000000") }, "\(found)")
        let sampled = problems("""
            {"base": "b.json", "axes": [{"sample": {"method": "random", "count": 5e8, "seed": 1,
              "parameters": [{"path": "layers[1].thickness", "from": "1 nm", "to": "2 nm"}]}}]}
            """)
        #expect(sampled.contains { $0.contains("axes[0].sample.count") && $0.contains("limit") }, "\(sampled)")
    }

    @Test("the running product of the axes is capped: the axis that goes over the limit is named")
    func runningProduct() {
        let found = problems("""
            {"base": "b.json", "axes": [{"path": "layers[1].thickness", "linear": {"from": "1 nm", "to": "2 nm", "count": 2000}},
                                        {"path": "protocol.pulses", "linear": {"from": 1, "to": 3000, "count": 3000}},
                                        {"path": "temperature", "linear": {"from": 250, "to": 350, "count": 900000}}]}
            """)
        #expect(found.contains { $0.hasPrefix("axes[1]") && $0.contains("6000000 points") }, "\(found)")
    }

    @Test("non-finite or repeated generated values are refused, naming the range")
    func generatedValues() {
        let infinite = problems("""
            {"base": "b.json", "axes": [{"path": "temperature", "linear": {"from": -1.7e308, "to": 1.7e308, "count": 3}}]}
            """)
        #expect(infinite.contains { $0.hasPrefix("axes[0].linear") && $0.contains("not a finite number") }, "\(infinite)")
        let repeated = problems("""
            {"base": "b.json", "axes": [{"path": "temperature", "linear": {"from": 1, "to": 1.0000000000000002, "count": 5}}]}
            """)
        #expect(repeated.contains { $0.hasPrefix("axes[0].linear") && $0.contains("same value twice") }, "\(repeated)")
    }

    @Test("a key path inside another one set or varied is refused (layers[1] and layers[1].thickness)")
    func overlappingPaths() {
        let found = problems("""
            {"base": "b.json", "set": {"layers[1]": {"thickness": "1 um"}},
             "axes": [{"path": "layers[1].thickness", "values": ["1 um", "2 um"]}]}
            """)
        #expect(found.contains { $0.contains("overlaps layers[1]") }, "\(found)")
    }

    @Test("a file's identity changes when it is replaced by rename, not when it is left alone")
    func identity() throws {
        let dir = NSTemporaryDirectory() + "identity-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/point.h5"
        #expect(PointFile.identity(path) == nil)
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let before = try #require(PointFile.identity(path))
        #expect(PointFile.identity(path) == before)
        try Data("old".utf8).write(to: URL(fileURLWithPath: dir + "/new"))
        #expect(rename(dir + "/new", path) == 0)
        #expect(PointFile.identity(path) != before)
    }
}
