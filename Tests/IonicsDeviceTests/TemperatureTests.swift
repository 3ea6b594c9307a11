import Foundation
import IonicsConfig
import IonicsDevice
import IonicsPhysics
import IonicsTestSupport
import Testing

/// Every activated parameter follows its material's ``TemperatureLaw`` where the device
/// builder turns materials into the problem: unchanged at T_ref, and
/// p(T)/p(T_ref) = (T/T_ref)^m exp(−E_a/R (1/T − 1/T_ref)) elsewhere, to round-off.
@Suite("Temperature laws")
struct TemperatureTests {
    static let R = 8.314_462_618_153_24

    func preset(_ path: String) throws -> Device {
        let config = try DeviceConfig.parse(try String(contentsOfFile: path, encoding: .utf8), source: path)
        return try DeviceBuilder.build(config, materials: MaterialLibrary(folders: [repositoryRoot() + "/configs/materials"]), source: path)
    }

    @Test("the law is exactly 1 at T_ref and the Arrhenius (× power) factor elsewhere", arguments: [250.0, 298.15, 423.15, 623.15])
    func law(kelvin: Double) {
        let law = TemperatureLaw(activationEnergy: 50_000, referenceTemperature: 298.15)
        let expected = exp(-50_000 / Self.R * (1 / kelvin - 1 / 298.15))
        #expect(abs(law.factor(at: kelvin) / expected - 1) < 1e-14)
        if kelvin == 298.15 { #expect(law.factor(at: kelvin) == 1) }
        let power = TemperatureLaw(activationEnergy: 0, referenceTemperature: 298.15, exponent: -1.69)
        #expect(abs(power.factor(at: kelvin) / pow(kelvin / 298.15, -1.69) - 1) < 1e-14)
    }

    @Test("a material refuses a law for a parameter its kind does not have")
    func refusesUnknownParameter() throws {
        let text = """
        {"name": "x", "kind": "electrolyte", "permittivity": 5,
         "species": [{"name": "Na+", "charge": 1, "concentration": "1 M", "diffusivity": "1e-12 m^2/s"},
                     {"name": "Cl-", "charge": -1, "concentration": "1 M", "diffusivity": "1e-12 m^2/s"}],
         "temperature_dependence": {"conductivity": {"activation_energy": "0.1 eV"}}}
        """
        #expect(throws: ConfigError.self) { try MaterialConfig.parse(text, source: "x.json") }
    }

    /// Fuller 2017 (LixSi | LiPON | LixCoO2) at T_ref and at `kelvin`: the ratio of every
    /// activated parameter of the built problem against its material's law.
    @Test("LixSi | LiPON | LixCoO2: electrolyte and host diffusivities, both exchange currents and σ(θ) follow their laws",
          arguments: [298.15, 350.0])
    func fuller(kelvin: Double) throws {
        let path = repositoryRoot() + "/configs/devices/li-licoo2-lipon-fuller2017.json"
        let reference = try preset(path)
        var config = reference.config
        config.temperature = kelvin
        let library = MaterialLibrary(folders: [repositoryRoot() + "/configs/materials"])
        let hot = try DeviceBuilder.build(config, materials: library, source: path)
        let lipon = try #require(library["LiPON"]), lco = try #require(library["LiCoO2"]), si = try #require(library["LixSi"])
        for law in [lipon.temperatureLaws["diffusivity"], lco.temperatureLaws["diffusivity"], lco.temperatureLaws["exchange_current"],
                    lco.temperatureLaws["conductivity"], si.temperatureLaws["exchange_current"]] {
            let l = try #require(law, "a material of Fuller 2017 lacks a temperature law")
            #expect(l.activationEnergy > 0 && l.referenceTemperature == 298.15)
        }
        func close(_ a: Double, _ b: Double) -> Bool { abs(a / b - 1) < 1e-13 }
        // Electrolyte: every species' diffusivity.
        let e = try #require(reference.problem.layers.firstIndex { $0.host == nil && !$0.species.isEmpty })
        for (a, b) in zip(reference.problem.layers[e].species, hot.problem.layers[e].species) {
            #expect(close(b.diffusivity / a.diffusivity, lipon.temperatureFactor("diffusivity", at: kelvin)))
        }
        // Host: D(θ) at every node.
        let h = try #require(hot.readout.channelLayer)
        let d0 = try #require(reference.problem.layers[h].host).diffusivity, d1 = try #require(hot.problem.layers[h].host).diffusivity
        for (a, b) in zip(d0.y, d1.y) { #expect(close(b / a, lco.temperatureFactor("diffusivity", at: kelvin))) }
        // Exchange currents: the LiPON | LixCoO2 interface and the LixSi reservoir.
        func i0(_ d: Device) -> [Double] {
            d.problem.interfaces.flatMap { $0.transfers.map(\.kinetics.exchangeCurrent) }
        }
        for (a, b) in zip(i0(reference), i0(hot)) { #expect(close(b / a, lco.temperatureFactor("exchange_current", at: kelvin))) }
        #expect(!i0(hot).isEmpty)
        // The LixSi reservoir metal's exchange current, at the first boundary.
        func reservoir(_ d: Device) -> Double? {
            d.problem.first.species.values.compactMap { $0.metalTransfer?.kinetics.exchangeCurrent }.first
        }
        #expect(close(try #require(reservoir(hot)) / (try #require(reservoir(reference))), si.temperatureFactor("exchange_current", at: kelvin)))
        // σ(θ): ln σ shifts by ln factor at every node.
        let s0 = try #require(reference.readout.logConductivity), s1 = try #require(hot.readout.logConductivity)
        for (a, b) in zip(s0.y, s1.y) { #expect(abs((b - a) - log(lco.temperatureFactor("conductivity", at: kelvin))) < 1e-12) }
        if kelvin == 298.15 {
            #expect(d0 == d1 && s0 == s1 && i0(reference) == i0(hot))
        } else {
            #expect(lco.temperatureFactor("exchange_current", at: kelvin) > 5)  // 39.6 kJ/mol over 52 K
        }
    }

    @Test("Na | MoS2 on Na-SiO2 (Wang 2021): Na diffusivity and the phonon-limited MoS2 mobility both change with T; at 150 °C the mobility is the material's law times the preset's scale")
    func wang() throws {
        let path = repositoryRoot() + "/configs/devices/na-mos2-sio2na-wang2021.json"
        let base = try preset(path)
        #expect(abs(base.config.temperature - 423.15) < 1e-12)
        let library = MaterialLibrary(folders: [repositoryRoot() + "/configs/materials"])
        let mos2 = try #require(library["MoS2-monolayer"]), oxide = try #require(library["SiO2-Na"])
        // At the preset's own 150 °C: the material's μ_n (stated at its reference temperature)
        // times the preset's one scale times the phonon-limited factor (T/T_ref)^−1.69.
        let mu150 = exp(try #require(base.readout.logMobility).y[0])
        let scale = try #require(base.config.layers.first { $0.name == "channel" }?.conductivityScale)
        let law = try #require(mos2.temperatureLaws["mobility"])
        guard case .constant(let muRef)? = mos2.semiconductor?.mobility else {
            Issue.record("MoS2-monolayer's mobility is expected to be one value")
            return
        }
        #expect(abs(mu150 / (muRef * scale * pow(423.15 / law.referenceTemperature, law.exponent)) - 1) < 1e-12)
        var config = base.config
        config.temperature = 623.15
        let hot = try DeviceBuilder.build(config, materials: library, source: path)
        let mu350 = exp(try #require(hot.readout.logMobility).y[0])
        #expect(abs(mu350 / mu150 - pow(623.15 / 423.15, -1.69)) < 1e-12)
        let na = try #require(base.problem.layers.firstIndex { $0.host == nil && !$0.species.isEmpty })
        let ratio = hot.problem.layers[na].species[0].diffusivity / base.problem.layers[na].species[0].diffusivity
        let ea = try #require(oxide.species.first?.activationEnergy)
        #expect(abs(ratio / exp(-ea / Self.R * (1 / 623.15 - 1 / 423.15)) - 1) < 1e-12)
        #expect(mos2.temperatureLaws["mobility"]?.exponent == -1.69)
    }
}

/// A layer may scale its material's σ(θ) law by one stated factor, and nothing else.
@Suite("Material σ(θ) laws")
struct MaterialLawTests {
    func build(_ path: String, _ edit: (inout String) -> Void) throws -> Device {
        var text = try String(contentsOfFile: path, encoding: .utf8)
        edit(&text)
        let config = try DeviceConfig.parse(text, source: path)
        return try DeviceBuilder.build(config, materials: MaterialLibrary(folders: [repositoryRoot() + "/configs/materials"]), source: path)
    }

    @Test("a preset on a material's law reads that law times its conductivity_scale, at every node (Onen 2021 on WO3, Fuller 2017 on LiCoO2)",
          arguments: [("h-wo3-psg-onen2021", "WO3"), ("li-licoo2-lipon-fuller2017", "LiCoO2")])
    func scale(preset: String, material: String) throws {
        let path = repositoryRoot() + "/configs/devices/\(preset).json"
        let device = try build(path) { _ in }
        let layer = try #require(device.config.layers.first { $0.name == "channel" })
        let k = try #require(layer.conductivityScale)
        #expect(layer.conductivity == nil)
        let m = try #require(MaterialLibrary(folders: [repositoryRoot() + "/configs/materials"])[material])
        guard case .table(let law)? = m.conductivity else {
            Issue.record("\(material) has no σ(θ) table")
            return
        }
        let table = try #require(device.readout.logConductivity)
        #expect(table.x == law.filling)
        for (a, b) in zip(table.y, law.values) { #expect(abs(a - log(b * k)) < 1e-12) }
    }

    @Test("a layer cannot give both its own table and a scale on the material's law")
    func notBoth() throws {
        let path = repositoryRoot() + "/configs/devices/h-wo3-psg-onen2021.json"
        #expect(throws: ConfigError.self) {
            _ = try build(path) { $0 = $0.replacingOccurrences(of: "\"conductivity_scale\"", with: "\"conductivity\": \"1 S/m\", \"conductivity_scale\"") }
        }
    }

    /// σ(x) of the LiCoO2 material, as the readout interpolates it (ln σ, monotone cubic).
    func licoo2Law() throws -> MonotoneTable? {
        let m = try #require(MaterialLibrary(folders: [repositoryRoot() + "/configs/materials"])["LiCoO2"])
        guard case .table(let law)? = m.conductivity else { return nil }
        return try MonotoneTable(x: law.filling, y: law.values.map { log($0) })
    }

    /// The literature's regimes (configs/materials/LiCoO2.json, provenance): metallic for
    /// x ≤ 0.75 (bulk) and 0.25–0.71 (single crystals), semiconducting for x ≥ 0.94 and in
    /// single crystals at x = 0.90 and 0.99, stoichiometric LiCoO2 below 0.5 S/m (Tukamoto &
    /// West: Mg doping raises it by > 100× to ~0.5 S/cm). And the law's one modelling
    /// assumption on the metallic branch: σ ∝ 1 − x (Co4+ holes at constant mobility).
    @Test("LixCoO2's σ(x) law: falls monotonically with x, metallic (≥ 1e3 S/m) for x ≤ 0.75, ≥ 1e3× below x = 0.5 at x ≥ 0.9, below 0.5 S/m at x = 1, and ∝ 1 − x on the metallic branch")
    func licoo2() throws {
        let law = try #require(try licoo2Law(), "LiCoO2 has no σ(x) table")
        let sigma = { (x: Double) in exp(law.value(x)) }
        let xs = stride(from: 0.25, through: 1.0, by: 0.005).map { $0 }
        for (a, b) in zip(xs, xs.dropFirst()) { #expect(sigma(b) <= sigma(a), "σ rises from x = \(a) to \(b)") }
        #expect(law.x.first! <= 0.25 && law.x.last! >= 1.0, "the law should span 0.25 ≤ x ≤ 1 (literature's range)")
        for x in stride(from: 0.25, through: 0.75, by: 0.05) { #expect(sigma(x) >= 1e3, "x = \(x): \(sigma(x)) S/m is not metallic") }
        for x in [0.9, 0.94, 0.99, 1.0] { #expect(sigma(0.5) >= 1e3 * sigma(x), "σ(0.5)/σ(\(x)) = \(sigma(0.5) / sigma(x))") }
        #expect(sigma(1.0) < 0.5, "stoichiometric LiCoO2 at \(sigma(1.0)) S/m, above the Tukamoto–West bound")
        // The metallic branch between the nodes too (the interpolation in ln σ must not bend it),
        // up to x = 0.74: from there to 0.75 the cubic joins the steep two-phase drop.
        for x in stride(from: 0.25, through: 0.74 + 1e-9, by: 0.005) {
            #expect(abs(sigma(x) / (sigma(0.5) * (1 - x) / 0.5) - 1) < 2e-3, "x = \(x): σ \(sigma(x)) is not ∝ 1 − x")
        }
    }
}
