import IonicsUnits

/// One layer of the device stack as written in the configuration.
public struct LayerConfig: Sendable, Equatable {
    public var name: String
    /// Material name, looked up in `configs/materials`.
    public var material: String
    /// Thickness, m (not needed for metals, which are boundary conditions).
    public var thickness: Double?
    public var mesh: MeshSpec
    /// Whether the layer (or the config) gave a mesh; otherwise the device builder
    /// chooses one from the physics (Debye length, layer kind).
    public var meshGiven: Bool
    /// Terminal a metal or host is connected to.
    public var terminal: String?
    /// Initial filling θ of a host.
    public var filling: Double?
    /// Initial concentrations of an electrolyte's species by name, mol/m³ (overrides the material's).
    public var concentrations: [String: Double]
    /// Per-layer overrides of material properties by key (SI values), e.g. `diffusivity`.
    public var overrides: [String: Double]
    /// Per-layer conductivity σ(θ) of a neutral channel, or electron mobility μ_n(θ) of a
    /// semiconductor one (replacing the material's: films of one material differ).
    public var conductivity: PropertyConfig? = nil
    public var mobility: PropertyConfig? = nil
    /// Per-layer hole mobility μ_p(θ) of an ambipolar semiconductor channel (`hole_mobility`).
    public var holeMobility: PropertyConfig? = nil
    /// One stated factor on the material's σ(θ) (or μ_n(θ)) law, e.g. for contacts or a
    /// film's microstructure: the only per-device freedom of a material-level law
    /// (`conductivity_scale`, dimensionless; nil: 1).
    public var conductivityScale: Double? = nil
    /// Where the layer lies along the channel in 2D (`lateral`); nil: the whole length.
    public var placement: LateralPlacement? = nil
    /// Electron transport through a neutral host between two metals (`electron_transport`);
    /// nil: the host's electrons sit at its terminal.
    public var electronTransport: ElectronTransportConfig? = nil
}

/// Overrides of the law between two layers.
public struct InterfaceConfig: Sendable, Equatable {
    public var first: String
    public var second: String
    /// "intercalation", "blocking" or "continuity"; nil keeps the default for the pair.
    public var law: String?
    /// Stern capacitance, F/m².
    public var sternCapacitance: Double?
    /// Exchange current density, A/m².
    public var exchangeCurrent: Double?
    public var alphaAnodic: Double?
    public var alphaCathodic: Double?
    /// Marcus–Hush–Chidsey reorganisation energy, J (switches the interface to MHC kinetics).
    public var reorganizationEnergy: Double? = nil
    /// Key path of the entry, e.g. `interfaces[0]`.
    public var path: String = "interfaces"
}

/// A terminal and how it is driven before the protocol starts.
public struct TerminalConfig: Sendable, Equatable {
    public var name: String
    public var initial: ControlConfig
}

/// How the synaptic weight is read.
public struct ReadoutConfig: Sendable, Equatable {
    /// "lateral" (G = (W/L)∫σ dy across the channel), "vertical" (through the stack),
    /// "ionic" (terminal current at the read voltage) or "none" (no synaptic weight: a
    /// plain electrochemical cell).
    public var mode: String
    /// The channel layer (default: the last host).
    public var layer: String?
    /// Read bias, V (reported currents are G × this).
    public var readVoltage: Double
    /// Whether the config has a `readout` object (without one, a stack with no host is not read).
    public var given = false
}


/// Lateral geometry of the channel: width W and length L (source to drain), m.
public struct GeometryConfig: Sendable, Equatable {
    public var width: Double
    public var length: Double
    /// Channel area W·L, m².
    public var area: Double { width * length }
}

/// A device configuration as read from JSON, in SI units. It says what the user
/// wrote, checked for types, units and ranges; the device layer turns it into a model.
public struct DeviceConfig: Sendable {
    /// Temperatures a config may ask for, K: every law is evaluated there, and below 1 K
    /// the thermal voltage and the Arrhenius factors leave double precision.
    public static let temperatureRange: ClosedRange<Double> = 1...2000

    public var name: String
    public var description: String
    /// Temperature, K.
    public var temperature: Double
    public var geometry: GeometryConfig?
    /// 1: the stack alone (quantities per m² of channel); 2: the cross-section along
    /// the channel, x from source to drain (quantities per metre of `width`).
    public var dimension = 1
    /// The lateral mesh of a 2D cross-section.
    public var lateral = LateralConfig()
    public var layers: [LayerConfig]
    public var interfaces: [InterfaceConfig] = []
    public var terminals: [TerminalConfig] = []
    /// The outer boundaries of a stack that does not end in metals (`boundaries`).
    public var boundaries = BoundariesConfig()
    public var readout: ReadoutConfig = ReadoutConfig(mode: "lateral", layer: nil, readVoltage: 0.1)
    public var protocolConfig: ProtocolConfig?
    /// Where `protocolConfig` came from, for messages: "protocol", or
    /// "plasticity.<behaviour>.protocol" when a plasticity run put it there.
    public var protocolKeyPath = "protocol"
    public var solver = SolverConfig()
    public var output = OutputConfig()
    /// Extra folders to search for material files.
    public var materialPaths: [String] = []
    /// What the literature reports for a preset device (Table 1 of the review).
    public var reported: ReportedConfig?
    /// Protocols showing the plasticity behaviours (stp, ltp, srdp, svdp, sndp, swdp, ppf, stdp).
    public var plasticity: [String: ProtocolConfig] = [:]
    /// Temperatures (K) at which some behaviours are shown, when not the preset's.
    public var plasticityTemperature: [String: Double] = [:]
    /// Where each number of a preset comes from (free text by key).
    public var provenance: [String: String] = [:]
    /// The configuration text exactly as given, stored with the results.
    public var sourceText: String

    /// Reads and validates a configuration; throws a ``ConfigError`` listing every
    /// problem, or a syntax error.
    /// `overrides` are `--set key.path=value` assignments, applied to the parsed text so
    /// that problems keep the file's lines and columns (or name the assignment).
    public static func parse(_ text: String, source: String, overrides: [String] = []) throws -> DeviceConfig {
        try readConfiguration(text: text, source: source, overrides: overrides) { root in
            read(root, text: overrides.isEmpty ? text : root.value.jsonText)
        }
    }

    static func read(_ root: ConfigNode, text: String) -> DeviceConfig {
        var config = DeviceConfig(name: "", description: "", temperature: 298.15, geometry: nil, layers: [], sourceText: text)
        guard let o = root.object() else { return config }
        if let n = o.required("name", "a name for the run"), let name = n.string() {
            if let problem = Self.nameProblem(name) { n.report(problem) } else { config.name = name }
        }
        config.description = o.string("description", default: "")!
        if let t = o.optional("temperature") {
            if let k = t.quantity(.temperature) {
                if !Self.temperatureRange.contains(k) { t.report("must be between 1 and 2000 K, got \(k) K") } else { config.temperature = k }
            }
        }
        if let g = o.optional("geometry")?.object() {
            let w = g.positiveQuantity("width", .length)
            let l = g.positiveQuantity("length", .length)
            if let w, let l { config.geometry = GeometryConfig(width: w, length: l) }
        }
        if let d = o.optional("dimension") {
            if let n = d.integer() {
                if n == 1 || n == 2 { config.dimension = n } else { d.report("must be 1 or 2, got \(n)") }
            }
        }
        if let l = o.optional("lateral") {
            if config.dimension == 2 { config.lateral = LateralConfig.read(l) } else { l.report("only for \"dimension\": 2") }
        }
        let globalMesh = o.optional("mesh").map { MeshSpec.read($0) }
        let defaultMesh = globalMesh ?? .default
        if let layers = o.required("layers", "the device stack, from the gate to the channel")?.array() {
            if layers.isEmpty { o.report("layers", "needs at least one layer") }
            var names: Set<String> = []
            for node in layers {
                guard let l = node.object() else { continue }
                let name = l.required("name")?.string() ?? ""
                if !name.isEmpty {
                    if names.contains(name) { l.report("name", "duplicate layer name \"\(name)\"") }
                    names.insert(name)
                }
                let material = l.required("material")?.string() ?? ""
                let thickness = l.has("thickness") ? l.positiveQuantity("thickness", .length) : nil
                let layerMesh = l.optional("mesh").map { MeshSpec.read($0, fallback: defaultMesh, inLayer: true) }
                let mesh = layerMesh ?? defaultMesh
                if let thickness, layerMesh != nil || globalMesh != nil {
                    mesh.check(thickness: thickness, meshPath: layerMesh != nil ? l.path + ".mesh" : "mesh", layer: name,
                               diagnostics: root.diagnostics)
                }
                let terminal = l.string("terminal")
                var filling: Double?
                if let f = l.optional("filling") {
                    if let v = f.number() {
                        if v > 0 && v < 1 { filling = v } else { f.report("must be between 0 and 1 (exclusive), got \(v)") }
                    }
                }
                var concentrations: [String: Double] = [:]
                if let c = l.optional("concentrations")?.object() {
                    c.acceptsAnyKey = true
                    for key in c.keys {
                        if let v = c.optional(key)?.quantity(.concentration) {
                            if v >= 0 { concentrations[key] = v } else { c.report(key, "must not be negative") }
                        }
                    }
                }
                var overrides: [String: Double] = [:]
                if let o2 = l.optional("overrides")?.object() {
                    let kinds: [String: QuantityKind] = [
                        "permittivity": .dimensionless, "diffusivity": .diffusivity, "fixed_charge": .concentration,
                        "max_concentration": .concentration, "stern_capacitance": .capacitancePerArea,
                        "exchange_current": .currentDensity, "ion_size": .length, "standard_potential": .voltage,
                        "interaction": .voltage, "equilibrium_potential": .voltage, "pzc": .voltage,
                        "doping": .numberDensity, "band_offset": .voltage, "effective_density": .numberDensity,
                        "band_gap": .voltage, "hole_effective_density": .numberDensity,
                        "electronic_conductivity": .conductivity,
                    ]
                    for key in kinds.keys.sorted() { if let v = o2.quantity(key, kinds[key]!) { overrides[key] = v } }
                }
                var layer = LayerConfig(
                    name: name, material: material, thickness: thickness, mesh: mesh, meshGiven: layerMesh != nil || globalMesh != nil,
                    terminal: terminal, filling: filling,
                    concentrations: concentrations, overrides: overrides)
                layer.conductivity = l.optional("conductivity").flatMap { PropertyConfig.read($0, .conductivity, positive: true) }
                layer.mobility = l.optional("mobility").flatMap { PropertyConfig.read($0, .mobility, positive: true) }
                layer.holeMobility = l.optional("hole_mobility").flatMap { PropertyConfig.read($0, .mobility, positive: true) }
                if l.has("conductivity_scale") {
                    layer.conductivityScale = l.positiveQuantity("conductivity_scale", .dimensionless)
                    if l.has("conductivity") || l.has("mobility") || l.has("hole_mobility") {
                        l.report("conductivity_scale", "a scale factor applies to the material's law; give it or a layer table, not both")
                    }
                }
                layer.electronTransport = l.optional("electron_transport").flatMap { ElectronTransportConfig.read($0) }
                if let p = l.optional("lateral") {
                    if config.dimension == 2 { layer.placement = LateralPlacement.read(p) } else { p.report("only for \"dimension\": 2") }
                }
                config.layers.append(layer)
            }
        }
        if let items = o.optional("interfaces")?.array() {
            for item in items {
                guard let i = item.object() else { continue }
                var pair: [String] = []
                if let between = i.required("between", "the two layer names")?.array() {
                    pair = between.compactMap { $0.string() }
                    if pair.count != 2 { i.report("between", "needs exactly two layer names") }
                }
                let law = i.choice("law", ["intercalation", "blocking", "continuity"])
                let stern = i.positiveQuantity("stern_capacitance", .capacitancePerArea, default: -1)
                let i0 = i.positiveQuantity("exchange_current", .currentDensity, default: -1)
                let aa = i.number("alpha_anodic")
                let ac = i.number("alpha_cathodic")
                let lambda = i.positiveQuantity("reorganization_energy", .energy, default: -1)
                for (key, a) in [("alpha_anodic", aa), ("alpha_cathodic", ac)] {
                    if let a, !(a > 0 && a < 1) { i.report(key, "must be between 0 and 1") }
                }
                if pair.count == 2 {
                    config.interfaces.append(InterfaceConfig(
                        first: pair[0], second: pair[1], law: law, sternCapacitance: stern.flatMap { $0 < 0 ? nil : $0 },
                        exchangeCurrent: i0.flatMap { $0 < 0 ? nil : $0 }, alphaAnodic: aa, alphaCathodic: ac,
                        reorganizationEnergy: lambda.flatMap { $0 < 0 ? nil : $0 }, path: item.path))
                }
            }
        }
        if let t = o.optional("terminals")?.object() {
            t.acceptsAnyKey = true
            for key in t.keys {
                guard let node = t.optional(key), let to = node.object() else { continue }
                let initial = to.optional("initial").flatMap { ControlConfig.read($0) } ?? .open
                config.terminals.append(TerminalConfig(name: key, initial: initial))
            }
        }
        if let b = o.optional("boundaries") { config.boundaries = BoundariesConfig.read(b) }
        if let r = o.optional("readout")?.object() {
            config.readout.given = true
            config.readout.mode = r.choice("mode", ["lateral", "vertical", "ionic", "none"], default: "lateral")!
            config.readout.layer = r.string("layer")
            if let v = r.quantity("read_voltage", .voltage) {
                if v == 0 { r.report("read_voltage", "must not be zero") } else { config.readout.readVoltage = v }
            }
        }
        if let p = o.optional("protocol") { config.protocolConfig = ProtocolConfig.read(p) }
        if let s = o.optional("solver") { config.solver = SolverConfig.read(s) }
        if let out = o.optional("output") { config.output = OutputConfig.read(out) }
        if let paths = o.optional("material_paths")?.array() { config.materialPaths = paths.compactMap { $0.string() } }
        if let m = o.optional("metadata")?.object() { m.acceptsAnyKey = true }
        if let r = o.optional("reported") { config.reported = ReportedConfig.read(r) }
        if let p = o.optional("plasticity")?.object() {
            for key in ReportedConfig.behaviours {
                guard let node = p.optional(key) else { continue }
                // Either a protocol, or {"protocol": …, "temperature": …} for a behaviour shown at
                // another temperature than the preset's.
                let entry = node.object()
                entry?.acceptsAnyKey = !(entry?.has("protocol") ?? false)
                if let entry, entry.has("protocol") {
                    if let t = entry.optional("temperature") {
                        if let k = t.quantity(.temperature), Self.temperatureRange.contains(k) { config.plasticityTemperature[key] = k } else { t.report("expected a temperature between 1 and 2000 K") }
                    }
                    if let proto = entry.optional("protocol").flatMap({ ProtocolConfig.read($0) }) { config.plasticity[key] = proto }
                } else if let proto = ProtocolConfig.read(node) {
                    config.plasticity[key] = proto
                }
            }
        }
        if let p = o.optional("provenance")?.object() {
            p.acceptsAnyKey = true
            for key in p.keys { if let s = p.optional(key)?.string() { config.provenance[key] = s } }
        }
        return config
    }
}

/// The values a paper (and the review's Table 1) reports for a preset, kept beside the
/// simulation so that `ionics table` can compare them.
public struct ReportedConfig: Sendable, Equatable {
    /// The eight plasticity behaviours of the review's Fig. 2.
    public static let behaviours = ["stp", "ltp", "srdp", "svdp", "sndp", "swdp", "ppf", "stdp"]

    /// Reference number in the review and the citation.
    public var reference: Int
    public var citation: String
    public var ion: String
    public var materials: String
    /// As printed in Table 1 (text).
    public var area: String
    public var pulse: String
    /// S.
    public var gmin: Double
    public var gmax: Double
    /// Energy per pulse per area, J/m² (when Table 1 gives it per area).
    public var energyPerArea: Double?
    /// Energy per pulse, J (when Table 1 gives it as an absolute value).
    public var energy: Double?
    /// False when Table 1's energy is known to be inconsistent (then it is not a target).
    public var energyConsistent: Bool
    /// What the paper's energy integrates: "gate" (∫|V_G·I_G| dt of the write pulse) or
    /// "total" (gate plus the electronic read path during the pulse: the drain current at
    /// V_read of a transistor, the electronic current through a two-terminal cell).
    public var energyDefinition: String = "gate"
    /// Quantities a parameter was adjusted to reproduce, and quantities the model
    /// predicts (no parameter tuned to them), from ``quantities``.
    public var fitted: [String] = []
    public var predicted: [String] = []

    /// Names of the compared quantities: Gmin, Gmax, Gmax/Gmin, energy per pulse (in the
    /// paper's definition), the NeuroSim A/N of the two branches, the number of states.
    public static let quantities = ["gmin", "gmax", "ratio", "energy", "nl_potentiation", "nl_depression", "states"]
    public static let energyDefinitions = ["gate", "total"]

    static func read(_ node: ConfigNode) -> ReportedConfig? {
        guard let o = node.object() else { return nil }
        let ref = o.required("reference")?.integer() ?? 0
        let citation = o.required("citation")?.string() ?? ""
        let ion = o.string("ion", default: "")!
        let materials = o.string("materials", default: "")!
        let area = o.string("area", default: "–")!
        let pulse = o.string("pulse", default: "–")!
        let gmin = o.positiveQuantity("gmin", .conductance) ?? 0
        let gmax = o.positiveQuantity("gmax", .conductance) ?? 0
        if gmax > 0 && gmin > 0 && gmax <= gmin { o.report("gmax", "must exceed gmin") }
        let epa = o.has("energy_per_area") ? o.positiveQuantity("energy_per_area", .energyPerArea) : nil
        let e = o.has("energy") ? o.positiveQuantity("energy", .energy) : nil
        if epa != nil && e != nil { o.report("energy", "give energy_per_area or energy, not both") }
        let consistent = o.bool("energy_consistent", default: true)!
        var r = ReportedConfig(reference: ref, citation: citation, ion: ion, materials: materials, area: area, pulse: pulse,
                               gmin: gmin, gmax: gmax, energyPerArea: epa, energy: e, energyConsistent: consistent)
        r.energyDefinition = o.choice("energy_definition", energyDefinitions, default: "gate")!
        func names(_ key: String) -> [String] {
            guard let a = o.optional(key)?.array() else { return [] }
            let n = a.compactMap { $0.string() }
            for q in n where !quantities.contains(q) { o.report(key, "unknown quantity \"\(q)\" (known: \(quantities.joined(separator: ", ")))") }
            return n
        }
        r.fitted = names("fitted")
        r.predicted = names("predicted")
        let both = Set(r.fitted).intersection(r.predicted)
        if !both.isEmpty { o.report("predicted", "\(both.sorted().joined(separator: ", ")) cannot be fitted and predicted at once") }
        return r
    }
}
