import Foundation
import IonicsBatch
import IonicsConfig
import Testing

@Suite("Sweep points: enumeration, hashes, shards")
struct SweepPlanTests {
    static let grid = """
        {"base": "b.json", "set": {"protocol.pulses": 3},
         "axes": [{"path": "layers[1].thickness", "values": ["0.5 um", "1 um"]},
                  {"path": "protocol.potentiation.current", "values": ["0.25 uA", "0.5 uA", "1 uA"]}]}
        """

    @Test("FNV-1a 64 matches the published test vectors")
    func fnvVectors() {
        // Test vectors of the FNV reference (Noll, "FNV Hash", test_fnv.c: FNV-1a 64).
        #expect(FNV1a64.hex("") == "cbf29ce484222325")
        #expect(FNV1a64.hex("a") == "af63dc4c8601ec8c")
        #expect(FNV1a64.hex("foobar") == "85944171f73967e8")
    }

    @Test("a grid enumerates row-major, the last axis fastest, every point with the fixed overrides")
    func enumeration() throws {
        let plan = SweepPlan(spec: try SweepSpec.parse(Self.grid, source: "t"), baseText: "{}")
        #expect(plan.points.count == 6)
        #expect(plan.points.map(\.axisIndices) == [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]])
        #expect(plan.points[4].overrides == ["protocol.pulses=3", "layers[1].thickness=\"1 um\"", "protocol.potentiation.current=\"0.5 uA\""])
        #expect(Set(plan.points.map(\.hash)).count == 6)
        #expect(plan.points[0].canonicalText == "layers[1].thickness=\"0.5 um\"\nprotocol.potentiation.current=\"0.25 uA\"\nprotocol.pulses=3\n")
        #expect(plan.points[0].hash == FNV1a64.hex(plan.points[0].canonicalText))
        #expect(plan.points[0].fileName == "point-\(plan.points[0].hash).h5")
    }

    @Test("a point's hash depends only on its overrides: not on the axes' order, the file's layout or the base config")
    func hashStability() throws {
        let a = SweepPlan(spec: try SweepSpec.parse(Self.grid, source: "t"), baseText: "{}")
        let swapped = """
            {"axes": [{"values": ["0.25 uA", "0.5 uA", "1 uA"], "path": "protocol.potentiation.current"},
                      {"path": "layers[1].thickness", "values": ["0.5 um", "1 um"]}],
             "set": {"protocol.pulses": 3}, "base": "b.json"}
            """
        let b = SweepPlan(spec: try SweepSpec.parse(swapped, source: "t"), baseText: "{\"other\": 1}")
        #expect(Set(a.points.map(\.hash)) == Set(b.points.map(\.hash)))
        #expect(a.points.map(\.hash) != b.points.map(\.hash), "the order differs")
        // The sweep's identity covers the base config and the order of the points.
        #expect(a.sweepID != b.sweepID)
        let again = SweepPlan(spec: try SweepSpec.parse(Self.grid, source: "u"), baseText: "{}")
        #expect(again.sweepID == a.sweepID && again.points.map(\.hash) == a.points.map(\.hash))
        // Canonical JSON: object keys sorted, whole numbers as integers.
        #expect(CanonicalJSON.text(.object([JSONMember(key: "b", value: .number(2)), JSONMember(key: "a", value: .number(0.5))])) == "{\"a\":0.5,\"b\":2}")
        #expect(CanonicalJSON.text(.number(5e-8)) == "5e-08")
    }

    @Test("shards are disjoint, cover the sweep, hold index mod N, and differ in size by at most one", arguments: [1, 2, 3, 7])
    func shards(count: Int) throws {
        let spec = try SweepSpec.parse("{\"base\": \"b\", \"axes\": [{\"path\": \"x\", \"linear\": {\"from\": 0, \"to\": 1, \"count\": 20}}]}", source: "t")
        let plan = SweepPlan(spec: spec, baseText: "")
        let shards = (0..<count).map { plan.shard($0, of: count) }
        let all = shards.flatMap { $0.map(\.index) }
        #expect(all.sorted() == Array(0..<20))
        #expect(Set(all).count == all.count)
        for (i, s) in shards.enumerated() { #expect(s.allSatisfy { $0.index % count == i }) }
        let sizes = shards.map(\.count)
        #expect(sizes.max()! - sizes.min()! <= 1)
    }

    @Test("key paths are put in one spelling and bad ones refused")
    func keyPaths() throws {
        #expect(try KeyPathText.canonical("layers[1].thickness").get() == "layers[1].thickness")
        #expect(try KeyPathText.canonical("a[0][2].b").get() == "a[0][2].b")
        for bad in ["", "a.", ".a", "a..b", "a[x]", "a]", "a b", "[1]"] {
            #expect((try? KeyPathText.canonical(bad).get()) == nil, "\"\(bad)\" accepted")
        }
        #expect(KeyPathText.variableName("layers[1].thickness") == "layers_1_thickness")
    }
}
