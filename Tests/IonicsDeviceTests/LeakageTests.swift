import Foundation
import IonicsConfig
import IonicsDevice
import IonicsPhysics
import IonicsTestSupport
import Testing

/// An electrolyte that also conducts electrons (`electronic_conductivity`) is a resistor
/// g = σ_e/d between its two electrodes, beside the ions (``ElectronicLeak``).
@Suite("Electronic leakage through an electrolyte")
struct LeakageTests {
    static let sigma = 1e-4  // S/m
    static let thickness = 1.924e-6  // m
    static var g: Double { sigma / thickness }  // S/m²

    /// The BTA blocking cell (1 mM 1:1, blocking electrodes at terminals left and right)
    /// with `protocol` and, when `leak`, σ_e = 1e-4 S/m.
    func cell(leak: Bool, protocol segment: String) -> String {
        let overrides = leak ? #", "overrides": {"electronic_conductivity": "1e-4 S/m"}"# : ""
        return """
            {"name": "leaky", "layers": [{"name": "electrolyte", "material": "symmetric-1to1", "thickness": "1.924 um",
              "concentrations": {"Na+": "1 mM", "Cl-": "1 mM"}\(overrides),
              "mesh": {"cells": 120, "grading": "tanh", "toward": "both", "smallest": "0.481 nm"}}],
             "boundaries": {"first": {"type": "electrode", "terminal": "left"}, "last": {"type": "electrode", "terminal": "right"}},
             "terminals": {"left": {"initial": {"voltage": "0 V"}}, "right": {"initial": {"voltage": "0 V"}}},
             "protocol": {"type": "segments", "segments": [\(segment)]},
             "solver": {"relative_tolerance": 1e-7, "absolute_potential": "1e-10 V", "absolute_concentration": "1e-9 mol/m^3"}}
            """
    }

    func steps(_ json: String) throws -> [StepSummary] {
        let device = try makeDevice(json)
        let recorder = Recorder()
        _ = try Simulation(device: device).run(observer: recorder)
        return recorder.steps
    }

    @Test("voltage-driven: the leak adds g·ΔV to each terminal's current and g·ΔV² to the work, step by step, and leaves the ions alone")
    func voltageDriven() throws {
        let step = #"{"duration": "100 us", "terminals": {"left": {"voltage": "-0.2569 mV"}, "right": {"voltage": "0.2569 mV"}}}"#
        let device = try makeDevice(cell(leak: true, protocol: step))
        let leaks = device.problem.leakages
        #expect(leaks.count == 1 && leaks[0].from == 0 && leaks[0].to == 1)
        #expect(abs(leaks[0].conductance - Self.g) <= 1e-12 * Self.g)
        let with = try steps(cell(leak: true, protocol: step))
        let without = try steps(cell(leak: false, protocol: step))
        #expect(with.count == without.count && with.count > 10, "the same steps: the ions do not see the leak")
        let dV = -0.5138e-3
        var worstCurrent = 0.0, workWith = 0.0, workWithout = 0.0, time = 0.0
        for (a, b) in zip(with, without) where !a.reinitialisation {
            worstCurrent = max(worstCurrent, abs((a.terminals[0].current - b.terminals[0].current) - Self.g * dV) / abs(Self.g * dV))
            #expect(abs((a.terminals[1].current - b.terminals[1].current) + Self.g * dV) <= 1e-9 * abs(Self.g * dV))
            workWith += a.terminals.map(\.energy).reduce(0, +)
            workWithout += b.terminals.map(\.energy).reduce(0, +)
            time += a.step
        }
        #expect(worstCurrent <= 1e-9, "leak current off g·ΔV by \(worstCurrent)")
        let joule = Self.g * dV * dV * time
        #expect(abs((workWith - workWithout) - joule) <= 1e-6 * joule, "Joule work \(workWith - workWithout) J vs g·ΔV²·t = \(joule) J")
    }

    @Test("current-driven: once the double layers are charged, the whole current flows through the leak, V = I/g")
    func currentDriven() throws {
        let i0 = 1e-3  // A through 1 m² (a cell without a geometry is per m²)
        let step = #"{"duration": "10 ms", "terminals": {"left": {"current": "1 mA"}, "right": {"voltage": "0 V"}}}"#
        let s = try steps(cell(leak: true, protocol: step))
        let v = s.last!.terminals[0].voltage
        #expect(abs(v - i0 / Self.g) <= 1e-5 * i0 / Self.g, "V = \(v) V, I/g = \(i0 / Self.g) V")
        // Without the leak the blocking cell keeps charging: V grows without bound (here far beyond I/g).
        let open = try steps(cell(leak: false, protocol: step))
        #expect(open.last!.terminals[0].voltage > 10 * i0 / Self.g)
    }

    @Test("an electrolyte that conducts electrons needs an electron conductor at a terminal on both sides")
    func needsTwoSides() throws {
        let json = cell(leak: true, protocol: #"{"duration": "1 us"}"#)
            .replacingOccurrences(of: #""last": {"type": "electrode", "terminal": "right"}"#, with: #""last": {"type": "blocking"}"#)
            .replacingOccurrences(of: #", "right": {"initial": {"voltage": "0 V"}}"#, with: "")
        #expect(buildProblems(json).map(\.path).contains("layers[0].overrides.electronic_conductivity"))
    }

    @Test("Fuller 2017's LixSi | LiPON | LixCoO2 carries the LiPON material's literature electronic conductivity as its gate leak, g = σ_e/d between gate and source")
    func fullerLeak() throws {
        let path = repositoryRoot() + "/configs/devices/li-licoo2-lipon-fuller2017.json"
        let config = try DeviceConfig.parse(try String(contentsOfFile: path, encoding: .utf8), source: path)
        let library = MaterialLibrary(folders: [repositoryRoot() + "/configs/materials"])
        let lipon = try #require(library["LiPON"])
        // Put et al. 2016: electronic resistivity ≈ 1e15 Ω·cm, i.e. 1e-13 S/m.
        #expect(abs(lipon.electronicConductivity - 1e-13) < 1e-27)
        let device = try DeviceBuilder.build(config, materials: library, source: path)
        let leaks = device.problem.leakages
        #expect(leaks.count == 1)
        let leak = try #require(leaks.first)
        let d = try #require(config.layers.first { $0.material == "LiPON" }?.thickness)
        #expect(abs(leak.conductance / (1e-13 / d) - 1) < 1e-12, "g \(leak.conductance) S/m² vs σ_e/d \(1e-13 / d)")
        let names = device.problem.terminals
        #expect(Set([names[leak.from], names[leak.to]]) == ["gate", "source"])
    }
}
