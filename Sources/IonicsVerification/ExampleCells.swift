import Foundation
public import IonicsDevice
import IonicsPhysics

/// The example cells of `configs/examples` (Gouy–Chapman, BTA charging, Cottrell),
/// loaded with ``DeviceLoader`` and run with ``Simulation`` exactly as `ionics run`
/// does, so that what is verified is what a user runs.
public enum ExampleCells {
    /// Errors of the example cases: a missing file, or a config that is not the cell its
    /// analytic solution describes.
    public struct ExampleError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Folder of the examples: `$IONICS_EXAMPLES`, `configs/examples` under the working
    /// directory, or the repository's (found from this source file's path).
    public static func folder(file: String = #filePath) -> String {
        if let env = ProcessInfo.processInfo.environment["IONICS_EXAMPLES"] { return env }
        let local = FileManager.default.currentDirectoryPath + "/configs/examples"
        if FileManager.default.fileExists(atPath: local) { return local }
        var url = URL(fileURLWithPath: file)
        while url.path != "/" {
            url = url.deletingLastPathComponent()
            let candidate = url.appendingPathComponent("configs/examples").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return local
    }

    /// Path of example `name` (without `.json`).
    public static func path(_ name: String) -> String { folder() + "/" + name + ".json" }

    /// A finished run of an example.
    public struct Run {
        public let device: Device
        public let simulation: Simulation
        /// The output-time samples with the state at each.
        public let samples: [(sample: BoundarySample, state: [Double])]
    }

    final class Collector: SimulationObserver {
        var samples: [(sample: BoundarySample, state: [Double])] = []
        func sampleTaken(_ sample: BoundarySample, state: [Double]) throws { samples.append((sample, state)) }
    }

    /// Loads example `name` (or the config at `path`) and runs its protocol.
    public static func run(_ name: String, path: String? = nil) throws -> Run {
        let file = path ?? self.path(name)
        guard FileManager.default.fileExists(atPath: file) else {
            throw ExampleError(message: "\(file): no such file (set IONICS_EXAMPLES to the folder of the example configs)")
        }
        let device = try DeviceLoader.load(file)
        let simulation = try Simulation(device: device)
        let collector = Collector()
        _ = try simulation.run(observer: collector)
        guard !collector.samples.isEmpty else { throw ExampleError(message: "\(file): the config has no output.times") }
        return Run(device: device, simulation: simulation, samples: collector.samples)
    }

    /// The single electrolyte layer of a cell, with its species (index, charge,
    /// concentration, diffusivity) — or an error naming what the analytic solution needs.
    static func electrolyte(_ run: Run, _ what: String) throws -> (layer: LayerPhysics, species: [(index: Int, z: Int, c: Double, d: Double)]) {
        let p = run.device.problem
        guard p.layers.count == 1, p.layers[0].host == nil else {
            throw ExampleError(message: "\(what) needs one electrolyte layer, got \(p.layers.map(\.name))")
        }
        let l = p.layers[0]
        return (l, l.species.map { ($0.species, p.species[$0.species].charge, $0.initialConcentration, $0.diffusivity) })
    }

    /// A symmetric 1:1 electrolyte's concentration and (common) diffusivity.
    static func symmetric(_ run: Run, _ what: String) throws -> (c: Double, d: Double, permittivity: Double) {
        let (layer, sp) = try electrolyte(run, what)
        guard sp.count == 2, Set(sp.map(\.z)) == [1, -1], abs(sp[0].c - sp[1].c) <= 1e-12 * sp[0].c,
              abs(sp[0].d - sp[1].d) <= 1e-12 * sp[0].d, layer.fixedCharge == 0 else {
            throw ExampleError(message: "\(what) needs a symmetric 1:1 electrolyte with equal concentrations and diffusivities")
        }
        return (sp[0].c, sp[0].d, layer.permittivity)
    }

    /// Display name of an example's config for the verification table.
    static func label(_ name: String) -> String { "configs/examples/\(name).json" }
}
