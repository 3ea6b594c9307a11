import Foundation
import IonicsConfig
import IonicsDevice
import IonicsOutput

/// Runs a preset with one of its `plasticity` protocols and summarises it.
public enum PlasticityRun {
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// `temperature` (K) replaces the preset's and the behaviour's own temperature;
    /// `overrides` are `key.path=value` assignments applied to the preset before it is read
    /// (as `ionics run --set`), so `plasticity.stp.pulse.width="100 ms"` changes the
    /// behaviour's own protocol; `materialFolders` are searched before the preset's own;
    /// `workingPath` is where the output is written until it is finished (see
    /// ``OutputTarget``), `shouldStop` is passed to ``Simulation/run(observer:shouldStop:)``.
    public static func run(path: String, behaviour: String, output: String?, overwrite: Bool,
                           temperature: Double? = nil, overrides: [String] = [], materialFolders: [String] = [],
                           workingPath: String? = nil,
                           shouldStop: (() -> Bool)? = nil) throws -> PlasticitySummary {
        guard ReportedConfig.behaviours.contains(behaviour) else {
            throw Failure(message: "unknown behaviour \"\(behaviour)\"; choose one of " + ReportedConfig.behaviours.joined(separator: ", "))
        }
        guard FileManager.default.fileExists(atPath: path) else { throw Failure(message: "\(path): no such preset") }
        let base: Device
        do { base = try PresetTable.device(at: path, overrides: overrides, materialFolders: materialFolders) } catch {
            throw Failure(message: error is ConfigOverrides.OverrideError ? "--set: \(error)" : "\(error)")
        }
        guard let proto = base.config.plasticity[behaviour] else {
            let have = base.config.plasticity.keys.sorted()
            throw Failure(message: "\(base.config.name) has no \"\(behaviour)\" protocol (it shows: \(have.isEmpty ? "none" : have.joined(separator: ", ")))")
        }
        var config = base.config
        config.protocolConfig = proto
        config.protocolKeyPath = "plasticity.\(behaviour).protocol"
        if let t = temperature ?? config.plasticityTemperature[behaviour] { config.temperature = t }
        let device: Device
        do {
            let library = MaterialLibrary(folders: materialFolders + MaterialLibrary.searchFolders(configPath: path, extra: config.materialPaths))
            device = try DeviceBuilder.build(config, materials: library, source: path)
        } catch { throw Failure(message: "\(error)") }
        let simulation: Simulation
        do { simulation = try Simulation(device: device) } catch { throw Failure(message: "\(error)") }
        var writer: RunWriter?
        if let output {
            let dir = (output as NSString).deletingLastPathComponent
            if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            do {
                writer = try RunWriter(path: output, config: device.config, overwrite: overwrite, workingPath: workingPath)
            } catch { throw OutputError.writing(error, path: output) }
        }
        var outcomes: [ExperimentOutcome] = []
        var failure: String?
        var status = "completed"
        do {
            outcomes = try simulation.run(observer: writer, shouldStop: shouldStop)
        } catch let e as SimulationError {
            failure = e.description
            outcomes = e.partial
            status = e.stop == .interrupted ? "interrupted" : "failed"
        }
        let metrics = SynapticMetrics.compute(type: simulation.schedule.type, outcomes: outcomes, area: device.area, ionCharge: 1)
        do {
            try writer?.finish(status: status, failure: failure, metrics: metrics, outcomes: outcomes)
        } catch {
            writer?.abandon()
            throw OutputError.writing(error, path: output ?? "")
        }
        if let failure { throw Failure(message: failure) }
        return Plasticity.summarise(behaviour, outcomes: outcomes, metrics: metrics)
    }
}
