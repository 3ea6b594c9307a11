import Foundation
import IonicsConfig
import IonicsDevice
import IonicsTestSupport
import Testing

/// The crashes of issue 11 end in a problem naming the key (or a valid device), and
/// configs beyond the resource limits are refused before the mesh or schedule exists.
@Suite("resource guards")
struct ResourceGuardTests {
    func problems(_ overrides: [String], limits: ResourceLimits = .machine) throws -> [ConfigProblem] {
        let config = try DeviceConfig.parse(try defaultConfigText(), source: "default.json", overrides: overrides)
        let library = MaterialLibrary(folders: [repositoryRoot() + "/configs/materials"])
        do {
            _ = try DeviceBuilder.build(config, materials: library, source: "default.json", limits: limits)
            return []
        } catch let e as ConfigError {
            return e.problems
        }
    }

    @Test("thick layers (1 m, 1e9 m) build small graded meshes instead of allocating or trapping")
    func thickLayers() throws {
        for t in ["1 m", "1e9 m"] {
            let device = try makeDevice(try defaultConfigText(), overrides: ["layers[1].thickness=\(t)"])
            #expect(device.mesh.cellCount > 0 && device.mesh.cellCount < 10_000, "\(t): \(device.mesh.cellCount) cells")
        }
    }

    @Test("a metal replacing a middle layer is a problem at layers[1].material, not an index out of range")
    func metalInTheMiddle() throws {
        let p = try problems([#"layers[1]={"name":"m","material":"Au"}"#])
        #expect(p.contains { $0.path == "layers[1].material" && $0.message.contains("metal") })
    }

    @Test("a 1e-15 m max_cell is refused at its key with the cell limit")
    func tinyCells() throws {
        let p = try problems([#"layers[1].mesh={"max_cell":"1e-15 m"}"#])
        #expect(p.contains { $0.path == "layers[1].mesh.max_cell" && $0.message.contains("--max-cells") })
    }

    @Test("a trillion pulses and a 1e-15 s maximum step are refused at their keys")
    func hugeSchedules() throws {
        let pulses = try problems(["protocol.pulses=1000000000000"])
        #expect(pulses.contains { $0.path == "protocol.pulses" && $0.message.contains("--max-steps") })
        #expect(pulses.contains { $0.path == "protocol.pulses" && $0.message.contains("--max-memory") })
        let step = try problems([#"solver.maximum_step="1e-15 s""#])
        #expect(step.contains { $0.path == "solver.maximum_step" && $0.message.contains("time steps") })
    }

    @Test("the limits are configurable: the default device fails a 50-cell limit and passes with room")
    func configurableLimits() throws {
        var tight = ResourceLimits.machine
        tight.maxCells = 50
        #expect(try problems([], limits: tight).contains { $0.message.contains("limit of 50") })
        tight.maxCells = 1_000_000
        tight.maxMemory = 1e6
        #expect(try problems([], limits: tight).contains { $0.message.contains("--max-memory") })
        #expect(try problems([]).isEmpty)
        #expect(ResourceLimits.machine.maxMemory > 0 && ResourceLimits.physicalMemory >= ResourceLimits.machine.maxMemory)
    }

    @Test("byte sizes parse with decimal and binary units and refuse nonsense")
    func byteSizes() {
        #expect(ResourceLimits.parseBytes("8G") == 8e9)
        #expect(ResourceLimits.parseBytes("512 MB") == 512e6)
        #expect(ResourceLimits.parseBytes("2GiB") == 2_147_483_648.0)
        #expect(ResourceLimits.parseBytes("1.5e9") == 1.5e9)
        for bad in ["", "-1G", "abc", "0", "NaNG", "inf"] { #expect(ResourceLimits.parseBytes(bad) == nil, "\(bad)") }
    }

    @Test("interfaces must name existing, neighbouring, non-metal layers, each pair once")
    func interfaces() throws {
        let misspelt = try problems([#"interfaces[0].between=["electrolyte","chanel"]"#])
        #expect(misspelt.contains { $0.path == "interfaces[0].between[1]" && $0.message.contains("did you mean \"channel\"") })
        let metal = try problems([#"interfaces[0].between=["gate","electrolyte"]"#])
        #expect(metal.contains { $0.path == "interfaces[0].between" && $0.message.contains("metal") })
        let twice = try problems([#"interfaces=[{"between":["electrolyte","channel"]},{"between":["channel","electrolyte"]}]"#])
        #expect(twice.contains { $0.path == "interfaces[1].between" && $0.message.contains("interfaces[0]") })
        let same = try problems([#"interfaces[0].between=["channel","channel"]"#])
        #expect(same.contains { $0.path == "interfaces[0].between" })
    }

    @Test("an interface between layers that do not touch is refused, naming the stack")
    func nonAdjacent() throws {
        let layers = #"layers=[{"name":"gate","material":"PdHx","terminal":"gate"},"#
            + #"{"name":"electrolyte","material":"nafion","thickness":"1 um"},"#
            + #"{"name":"spacer","material":"nafion","thickness":"100 nm"},"#
            + #"{"name":"channel","material":"WO3","thickness":"50 nm","filling":0.03,"terminal":"source"}]"#
        let p = try problems([layers])
        #expect(p.contains { $0.path == "interfaces[0].between" && $0.message.contains("do not touch") && $0.message.contains("spacer") })
        let fixed = try problems([layers, #"interfaces[0].between=["spacer","channel"]"#])
        #expect(!fixed.contains { $0.path.hasPrefix("interfaces") }, "\(fixed)")
    }

    @Test("both terminals open is refused by validation, not only when the run starts")
    func floating() throws {
        let p = try problems([#"terminals.source.initial="open""#])
        #expect(p.contains { $0.path == "terminals" && $0.message.contains("holds a voltage") })
    }

    @Test("a readout layer that does not exist is reported at readout.layer")
    func readoutLayer() throws {
        let p = try problems([#"readout.layer="chanel""#])
        #expect(p.contains { $0.path == "readout.layer" })
        let electrolyte = try problems([#"readout.layer="electrolyte""#])
        #expect(electrolyte.contains { $0.path == "readout.layer" && $0.message.contains("host channel") })
        let metal = try problems([#"readout.layer="gate""#])
        #expect(metal.contains { $0.path == "readout.layer" && $0.message.contains("metal") })
        #expect(try problems([#"readout.layer="electrolyte""#, #"readout.mode="ionic""#]).isEmpty)
    }

    @Test("the schedule extent counts exactly the segments and duration Schedule.make builds, for every preset protocol")
    func extentMatchesSchedule() throws {
        let folder = repositoryRoot() + "/configs/devices"
        var checked = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where file.hasSuffix(".json") {
            let config = try DeviceConfig.parse(try String(contentsOfFile: folder + "/" + file, encoding: .utf8), source: file)
            let protocols = [config.protocolConfig].compactMap { $0 } + config.plasticity.keys.sorted().map { config.plasticity[$0]! }
            for p in protocols {
                let schedule = Schedule.make(p, terminals: Array(Set(p.terminalNames + ["gate", "source", "drain"])).sorted())
                let extent = p.extent()
                let segments = schedule.experiments.reduce(0) { $0 + $1.segments.count }
                if case .stdp = p {
                    #expect(Double(segments) <= extent.segments, "\(file) \(p.typeName): at most the bound")
                } else {
                    #expect(Double(segments) == extent.segments, "\(file) \(p.typeName) \(p)")
                }
                #expect(abs(schedule.totalDuration - extent.duration) <= 1e-9 * max(1, schedule.totalDuration), "\(file) \(p.typeName) \(p)")
                #expect(Double(schedule.experiments.count) == extent.experiments)
                checked += 1
            }
        }
        #expect(checked > 20)
    }
}
