import Foundation
import IonicsConfig
import IonicsDevice
import IonicsPresets
import IonicsTestSupport
import Testing

@Suite("Plasticity protocols and the resource limits")
struct PlasticityLimitTests {
    @Test("a plasticity protocol beyond the step limit is named by its own key, not by `protocol`")
    func keyPath() throws {
        let path = repositoryRoot() + "/configs/devices/li-wse2-peo-zhu2018.json"
        let base = try PresetTable.device(at: path)
        let (behaviour, proto) = try #require(base.config.plasticity.sorted { $0.key < $1.key }.first)
        var config = base.config
        config.protocolConfig = proto
        config.protocolKeyPath = "plasticity.\(behaviour).protocol"
        var limits = ResourceLimits.machine
        limits.maxSteps = 1
        let library = MaterialLibrary(folders: MaterialLibrary.searchFolders(configPath: path, extra: config.materialPaths))
        var message = ""
        do {
            _ = try DeviceBuilder.build(config, materials: library, source: path, limits: limits)
        } catch {
            message = "\(error)"
        }
        #expect(message.contains("plasticity.\(behaviour).protocol"), "\(message)")
        #expect(message.contains("--max-steps"))
    }
}
