import Foundation
import IonicsBatch
import IonicsHDF5
import IonicsTestSupport
import Testing

@Suite("Collecting a sweep: manifests, point files, the CSV and the N-D HDF5 table")
struct SweepCollectionTests {
    static let sweep = """
        {"base": "b.json",
         "axes": [{"path": "layers[1].thickness", "values": ["0.5 um", "1 um"], "name": "thickness"},
                  {"zip": [{"path": "protocol.potentiation.current", "values": ["0.25 uA", "0.5 uA", "1 uA"]},
                           {"path": "protocol.depression.current", "values": ["-0.25 uA", "-0.5 uA", "-1 uA"]}], "name": "amplitude"}]}
        """

    /// A run file as `ionics run` leaves it: root `status` (and `failure`), `metrics` attributes.
    func writeRun(_ path: String, status: String, gmin: Double, failure: String? = nil) throws {
        let file = try HDF5File.create(at: path)
        let root = try file.root()
        try root.setAttribute("status", status)
        if let failure { try root.setAttribute("failure", failure) }
        let m = try root.createGroup("metrics")
        try m.setAttribute("gmin", gmin)
        try m.setAttribute("states", 12)
        try file.commit()
    }

    @Test("two shard manifests merge; completed points carry metrics, the others NaN and their status; axes are dimension scales")
    func collect() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let plan = SweepPlan(spec: try SweepSpec.parse(Self.sweep, source: "s.json"), baseText: "{}")
        for s in 0..<2 {
            let shard = SweepManifest.Shard(index: s, count: 2)
            var m = SweepManifest(plan: plan, sweepFile: "s.json", shard: shard, points: plan.shard(s, of: 2))
            for i in m.points.indices { m.points[i].status = .completed }
            try m.write(to: dir.file(SweepManifest.fileName(shard: shard)))
        }
        for p in plan.points where p.index != 5 {
            try writeRun(dir.file(p.fileName), status: p.index == 4 ? "failed" : "completed", gmin: 1e-6 * Double(p.index + 1),
                         failure: p.index == 4 ? "Newton did not converge" : nil)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }.isEmpty)
        let c = try SweepCollection.read(folder: dir.path)
        #expect(c.manifests.count == 2)
        #expect(c.points.map(\.status) == ["completed", "completed", "completed", "completed", "failed", "missing"])
        #expect(c.points[4].failure == "Newton did not converge")
        #expect(c.metricNames == ["gmin", "states"])

        let csv = c.csv().split(separator: "\n")
        #expect(csv[0] == "point_index,point_hash,layers[1].thickness,amplitude,protocol.potentiation.current,protocol.depression.current,status,failure,gmin,states")
        #expect(csv[2].hasPrefix("1,\(plan.points[1].hash),5e-07,1,5e-07,-5e-07,completed,,2e-06,12"))
        #expect(csv[5].contains(",failed,Newton did not converge,,"))

        let h5 = dir.file("table.h5")
        try c.writeHDF5(to: h5, overwrite: false)
        let root = try HDF5File.open(at: h5).root()
        let gmin = try root.openDataset("gmin")
        #expect(try gmin.shape() == [2, 3])
        #expect(try gmin.attachedScales(axis: 0) == ["/thickness"])
        #expect(try gmin.attachedScales(axis: 1) == ["/amplitude"])
        #expect(try gmin.stringAttribute("units") == "S")
        #expect(try gmin.stringAttribute("coordinates") == "protocol_potentiation_current protocol_depression_current")
        #expect(try root.openDataset("thickness").dimensionScaleName() == "thickness")
        #expect(try root.read("thickness").values == [5e-7, 1e-6])
        #expect(try root.openDataset("thickness").stringAttribute("units") == "m")
        #expect(try root.read("protocol_depression_current").values == [-2.5e-7, -5e-7, -1e-6])
        #expect(try root.openDataset("protocol_depression_current").attachedScales(axis: 0) == ["/amplitude"])
        let values = try gmin.read().values
        #expect(Array(values.prefix(4)) == [1e-6, 2e-6, 3e-6, 4e-6])
        #expect(values[4].isNaN && values[5].isNaN)
        #expect(try root.read("status").values == [0, 0, 0, 0, 1, 5])
        #expect(try root.openDataset("point_hash").readStrings()[3] == plan.points[3].hash)
        #expect(try root.openDataset("failure").readStrings()[4] == "Newton did not converge")
    }

    @Test("manifests of two different sweeps in one folder are refused")
    func mixed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let a = SweepPlan(spec: try SweepSpec.parse(Self.sweep, source: "s.json"), baseText: "{}")
        let b = SweepPlan(spec: try SweepSpec.parse(Self.sweep, source: "s.json"), baseText: "{\"x\": 1}")
        var m = SweepManifest(plan: a, sweepFile: "s.json", shard: nil, points: a.points)
        try m.write(to: dir.file("manifest.json"))
        var n = SweepManifest(plan: b, sweepFile: "s.json", shard: SweepManifest.Shard(index: 0, count: 2), points: b.shard(0, of: 2))
        try n.write(to: dir.file("manifest-shard-0-of-2.json"))
        #expect(throws: BatchError.self) { try SweepCollection.read(folder: dir.path) }
        let loaded = try SweepManifest.load(dir.file("manifest.json"))
        #expect(loaded.points.map(\.hash) == a.points.map(\.hash))
        #expect(loaded.axes[1].coordinates == a.spec.axes[1].coordinates)
    }
}
