import Foundation
import IonicsUnits

/// A tabulated property against the filling θ: `{"filling": [...], "value": [...]}`,
/// values as SI numbers or strings with units.
public struct TableConfig: Sendable, Equatable {
    public var filling: [Double]
    public var values: [Double]
}

/// A property given as one value or as a table against θ.
public enum PropertyConfig: Sendable, Equatable {
    case constant(Double)
    case table(TableConfig)

    /// Reads a quantity of `kind` or a table of them; checks θ ∈ [0, 1], strictly rising,
    /// and (when `positive`) positive values.
    static func read(_ node: ConfigNode, _ kind: QuantityKind, positive: Bool) -> PropertyConfig? {
        if case .object = node.value {
            guard let o = node.object() else { return nil }
            let filling = o.required("filling")?.array()?.compactMap { $0.number() }
            let values = o.required("value")?.array()?.compactMap { $0.quantity(kind) }
            guard let filling, let values else { return nil }
            var ok = true
            if filling.count != values.count { o.report("value", "has \(values.count) entries for \(filling.count) fillings"); ok = false }
            if filling.count < 2 { o.report("filling", "a table needs at least two points"); ok = false }
            if filling.contains(where: { $0 < 0 || $0 > 1 }) { o.report("filling", "θ must lie within [0, 1]"); ok = false }
            if zip(filling, filling.dropFirst()).contains(where: { $0 >= $1 }) { o.report("filling", "θ must increase strictly"); ok = false }
            if positive && values.contains(where: { !($0 > 0) }) { o.report("value", "values must be positive"); ok = false }
            return ok ? .table(TableConfig(filling: filling, values: values)) : nil
        }
        guard let v = node.quantity(kind) else { return nil }
        if positive && !(v > 0) {
            node.report("must be positive")
            return nil
        }
        return .constant(v)
    }
}

/// A mobile species of an electrolyte material.
public struct SpeciesConfig: Sendable, Equatable {
    public var name: String
    public var charge: Int
    /// mol/m³.
    public var concentration: Double
    /// m²/s (at the reference temperature when `activationEnergy` is set).
    public var diffusivity: Double
    /// Arrhenius activation energy, J/mol: D(T) = D_ref·exp(−E_a/R·(1/T − 1/T_ref)).
    public var activationEnergy: Double?
    /// Reference temperature of `diffusivity`, K.
    public var referenceTemperature: Double

    /// The diffusivity at temperature T (K).
    public func diffusivity(at T: Double) -> Double {
        diffusivity(at: T, reference: diffusivity)
    }

    /// A diffusivity `reference` given at the reference temperature, taken to T with this
    /// species' activation energy (unchanged without one).
    public func diffusivity(at T: Double, reference: Double) -> Double {
        guard let ea = activationEnergy else { return reference }
        return reference * exp(-ea / 8.314_462_618_153_24 * (1 / T - 1 / referenceTemperature))
    }
}

/// Butler–Volmer kinetics and the Stern layer at a material's electrolyte interface.
public struct KineticsConfig: Sendable, Equatable {
    /// A/m² at the reference state.
    public var exchangeCurrent: Double
    public var alphaAnodic: Double
    public var alphaCathodic: Double
    /// mol/m³; nil: the electrolyte's own concentration of the ion.
    public var referenceConcentration: Double?
    /// F/m²; nil: no Stern layer.
    public var sternCapacitance: Double?
    /// Marcus–Hush–Chidsey reorganisation energy λ, J; nil: Butler–Volmer.
    public var reorganizationEnergy: Double?

    public init(exchangeCurrent: Double, alphaAnodic: Double = 0.5, alphaCathodic: Double = 0.5,
                referenceConcentration: Double? = nil, sternCapacitance: Double? = nil, reorganizationEnergy: Double? = nil) {
        self.reorganizationEnergy = reorganizationEnergy
        self.exchangeCurrent = exchangeCurrent
        self.alphaAnodic = alphaAnodic
        self.alphaCathodic = alphaCathodic
        self.referenceConcentration = referenceConcentration
        self.sternCapacitance = sternCapacitance
    }

    static func read(_ node: ConfigNode) -> KineticsConfig? {
        guard let o = node.object() else { return nil }
        let i0 = o.positiveQuantity("exchange_current", .currentDensity)
        let aa = o.number("alpha_anodic", default: 0.5)!
        let ac = o.number("alpha_cathodic", default: 0.5)!
        for (k, a) in [("alpha_anodic", aa), ("alpha_cathodic", ac)] where !(a > 0 && a < 1) { o.report(k, "must be between 0 and 1") }
        let cref = o.has("reference_concentration") ? o.positiveQuantity("reference_concentration", .concentration) : nil
        let stern = o.has("stern_capacitance") ? o.positiveQuantity("stern_capacitance", .capacitancePerArea) : nil
        let model = o.string("model", default: "butler-volmer")!
        var lambda: Double?
        switch model {
        case "butler-volmer":
            if o.has("reorganization_energy") { o.report("reorganization_energy", "only for model \"marcus-hush-chidsey\"") }
        case "marcus-hush-chidsey":
            lambda = o.positiveQuantity("reorganization_energy", .energy)
            if lambda == nil && !o.has("reorganization_energy") { o.report("reorganization_energy", "required by model \"marcus-hush-chidsey\" (e.g. \"0.3 eV\")") }
        default:
            o.report("model", "expected \"butler-volmer\" or \"marcus-hush-chidsey\", got \"\(model)\"")
        }
        guard let i0 else { return nil }
        return KineticsConfig(exchangeCurrent: i0, alphaAnodic: aa, alphaCathodic: ac, referenceConcentration: cref, sternCapacitance: stern,
                              reorganizationEnergy: lambda)
    }
}

/// Electrons of a semiconductor host.
public struct SemiconductorConfig: Sendable, Equatable {
    /// m⁻³.
    public var effectiveDensity: Double
    /// E_c − E_F at zero bias, eV (given as a voltage).
    public var bandOffset: Double
    /// m⁻³.
    public var doping: Double
    public var statistics: String
    /// Electron mobility μ_n(θ), m²/(V·s).
    public var mobility: PropertyConfig
    /// The valence band of an ambipolar channel (`electrons.holes`), or nil.
    public var holes: HolesConfig? = nil
}

/// Holes of an ambipolar semiconductor host (material key `electrons.holes`).
public struct HolesConfig: Sendable, Equatable {
    /// N_v, m⁻³.
    public var effectiveDensity: Double
    /// E_g, eV (given as a voltage).
    public var bandGap: Double
    /// Hole mobility μ_p(θ), m²/(V·s).
    public var mobility: PropertyConfig
}

/// A material as read from `configs/materials/NAME.json`, in SI units, with the
/// provenance of its numbers.
public struct MaterialConfig: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case electrolyte, host, metal, dielectric }

    public var name: String
    public var kind: Kind
    public var description: String
    public var permittivity: Double
    // Electrolyte.
    public var species: [SpeciesConfig] = []
    /// Signed concentration of fixed elementary charges, mol/m³.
    public var fixedCharge: Double = 0
    /// Electronic conductivity of an electrolyte, S/m (0: an ideal ionic conductor): the
    /// leakage path between its electron-conducting neighbours (``ElectronicLeak``).
    public var electronicConductivity: Double = 0
    /// Ion size for the steric correction, m.
    public var ionSize: Double?
    // Host.
    /// Name of the intercalating ion (host) or the ion a metal reservoir exchanges.
    public var ion: String?
    public var maxConcentration: Double = 0
    public var standardPotential: Double = 0
    public var interaction: Double = 0
    public var excessPotential: TableConfig?
    /// A measured U(θ) table (replaces the lattice-gas form).
    public var ocvTable: TableConfig?
    public var diffusivity: PropertyConfig = .constant(0)
    /// D in the film's plane (x, along the channel) over D through it (y), for layered
    /// hosts (`in_plane_diffusivity_factor`; 2D cross-sections only; default 1).
    public var inPlaneDiffusivityFactor: Double = 1
    /// σ(θ), S/m (neutral hosts).
    public var conductivity: PropertyConfig?
    public var semiconductor: SemiconductorConfig?
    /// Charge of the intercalant (default 1).
    public var ionCharge: Int = 1
    // Interface with an electrolyte.
    public var kinetics: KineticsConfig?
    /// Metal reservoir equilibrium potential, V.
    public var equilibriumPotential: Double?
    /// Temperature laws of the activated parameters by name (``TemperatureLaw/parameters``);
    /// a parameter without one does not change with T (its provenance says why).
    public var temperatureLaws: [String: TemperatureLaw] = [:]
    /// Which numbers come from where.
    public var provenance: [String: String] = [:]
    public var references: [String] = []
    /// The file it came from.
    public var source: String = ""

    /// p(T)/p(T_ref) of `parameter` (1 when the material gives no law for it).
    public func temperatureFactor(_ parameter: String, at kelvin: Double) -> Double {
        temperatureLaws[parameter]?.factor(at: kelvin) ?? 1
    }

    public static func parse(_ text: String, source: String) throws -> MaterialConfig {
        try readConfiguration(text: text, source: source) { read($0, source: source) }
    }

    static func read(_ root: ConfigNode, source: String) -> MaterialConfig {
        var m = MaterialConfig(name: "", kind: .dielectric, description: "", permittivity: 1)
        m.source = source
        guard let o = root.object() else { return m }
        m.name = o.required("name")?.string() ?? ""
        m.kind = o.required("kind", "electrolyte, host, metal or dielectric")?.choice(Kind.allCases.map(\.rawValue)).flatMap { Kind(rawValue: $0) } ?? .dielectric
        m.description = o.string("description", default: "")!
        if m.kind != .metal {
            m.permittivity = o.positiveQuantity("permittivity", .dimensionless) ?? 1
        } else {
            m.permittivity = o.positiveQuantity("permittivity", .dimensionless, default: 1) ?? 1
        }
        if let p = o.optional("provenance")?.object() {
            p.acceptsAnyKey = true
            for key in p.keys { if let s = p.optional(key)?.string() { m.provenance[key] = s } }
        }
        if let r = o.optional("references")?.array() { m.references = r.compactMap { $0.string() } }
        if let t = o.optional("temperature_dependence")?.object() {
            t.acceptsAnyKey = true
            let allowed: [Kind: [String]] = [.electrolyte: ["diffusivity", "electronic_conductivity"], .host: TemperatureLaw.parameters,
                                             .metal: ["exchange_current"], .dielectric: []]
            for key in t.keys {
                guard allowed[m.kind]!.contains(key) else {
                    t.report(key, "a \(m.kind.rawValue) has no activated parameter \"\(key)\" (it takes: \(allowed[m.kind]!.joined(separator: ", ")))")
                    continue
                }
                if let law = t.optional(key).flatMap({ TemperatureLaw.read($0) }) { m.temperatureLaws[key] = law }
            }
        }
        switch m.kind {
        case .electrolyte:
            if let items = o.required("species")?.array() {
                var names: Set<String> = []
                for item in items {
                    guard let s = item.object() else { continue }
                    let name = s.required("name")?.string() ?? ""
                    if names.contains(name) { s.report("name", "duplicate species \"\(name)\"") }
                    names.insert(name)
                    let z = s.required("charge")?.integer() ?? 0
                    let c = s.quantity("concentration", .concentration)
                    if c == nil { _ = s.required("concentration") }
                    if let c, c < 0 { s.report("concentration", "must not be negative") }
                    let d = s.positiveQuantity("diffusivity", .diffusivity)
                    // A species' own activation energy, else the material's diffusivity law.
                    let ea = s.has("activation_energy") ? s.positiveQuantity("activation_energy", .molarEnergy) : nil
                    let tref = s.positiveQuantity("reference_temperature", .temperature, default: 298.15) ?? 298.15
                    if let c, let d {
                        m.species.append(SpeciesConfig(name: name, charge: z, concentration: c, diffusivity: d, activationEnergy: ea, referenceTemperature: tref))
                    }
                }
                if items.isEmpty { o.report("species", "an electrolyte needs at least one mobile species") }
            }
            m.fixedCharge = o.quantity("fixed_charge", .concentration, default: 0) ?? 0
            if let v = o.quantity("electronic_conductivity", .conductivity) {
                if v >= 0 { m.electronicConductivity = v } else { o.report("electronic_conductivity", "must not be negative") }
            }
            if o.has("ion_size") { m.ionSize = o.positiveQuantity("ion_size", .length) }
        case .host:
            m.ion = o.required("ion")?.string()
            m.ionCharge = o.integer("ion_charge", default: 1)!
            m.maxConcentration = o.positiveQuantity("max_concentration", .concentration) ?? 0
            if let ocv = o.required("ocv", "the open-circuit potential U(θ)")?.object() {
                if ocv.has("filling") {
                    // A measured table: {"filling": [...], "value": [...]}.
                    if case .table(let t)? = PropertyConfig.read(ocv.node, .voltage, positive: false) { m.ocvTable = t }
                    ocv.allow("filling", "value")
                } else {
                    m.standardPotential = ocv.required("standard")?.quantity(.voltage) ?? 0
                    m.interaction = ocv.quantity("interaction", .voltage, default: 0) ?? 0
                    if let e = ocv.optional("excess"), case .table(let t)? = PropertyConfig.read(e, .voltage, positive: false) {
                        m.excessPotential = t
                    }
                }
            }
            m.diffusivity = o.required("diffusivity")?.let { PropertyConfig.read($0, .diffusivity, positive: true) } ?? .constant(0)
            if o.has("in_plane_diffusivity_factor") {
                m.inPlaneDiffusivityFactor = o.positiveQuantity("in_plane_diffusivity_factor", .dimensionless) ?? 1
            }
            if let e = o.optional("electrons") {
                if case .string(let s) = e.value {
                    if s != "neutral" { e.report("expected \"neutral\" or a semiconductor object, got \(e.shown)") }
                } else if let so = e.object() {
                    _ = so.required("model")?.choice(["semiconductor"])
                    let nc = so.positiveQuantity("effective_density", .numberDensity)
                    let offset = so.quantity("band_offset", .voltage, default: 0) ?? 0
                    let doping = so.quantity("doping", .numberDensity, default: 0) ?? 0
                    let stats = so.choice("statistics", ["boltzmann", "fermi-dirac"], default: "fermi-dirac")!
                    let mobility = so.required("mobility")?.let { PropertyConfig.read($0, .mobility, positive: true) }
                    var holes: HolesConfig?
                    if let ho = so.optional("holes")?.object() {
                        let nv = ho.positiveQuantity("effective_density", .numberDensity)
                        let gap = ho.required("band_gap", "e.g. \"1.2 V\" (E_c − E_v in eV, written as a voltage)")?.quantity(.voltage)
                        if let gap, !(gap > 0) { ho.report("band_gap", "expected a positive band gap, got \(gap) V") }
                        let mu = ho.required("mobility")?.let { PropertyConfig.read($0, .mobility, positive: true) }
                        if let nv, let gap, gap > 0, let mu { holes = HolesConfig(effectiveDensity: nv, bandGap: gap, mobility: mu) }
                    }
                    if let nc, let mobility {
                        m.semiconductor = SemiconductorConfig(effectiveDensity: nc, bandOffset: offset, doping: doping, statistics: stats,
                                                              mobility: mobility, holes: holes)
                    }
                }
            }
            if m.semiconductor == nil {
                m.conductivity = o.optional("conductivity")?.let { PropertyConfig.read($0, .conductivity, positive: true) }
            }
            m.kinetics = o.optional("kinetics").flatMap { KineticsConfig.read($0) }
        case .metal:
            m.ion = o.string("ion")
            m.equilibriumPotential = o.quantity("equilibrium_potential", .voltage)
            m.kinetics = o.optional("kinetics").flatMap { KineticsConfig.read($0) }
            if m.ion != nil && (m.equilibriumPotential == nil || m.kinetics == nil) {
                o.report("ion", "a metal that exchanges an ion needs equilibrium_potential and kinetics")
            }
        case .dielectric:
            break
        }
        // Electrolyte species without their own activation energy follow the material's law.
        if let law = m.temperatureLaws["diffusivity"] {
            for k in m.species.indices where m.species[k].activationEnergy == nil {
                m.species[k].activationEnergy = law.activationEnergy
                m.species[k].referenceTemperature = law.referenceTemperature
            }
        }
        return m
    }
}

/// The material files Ionics can find.
public struct MaterialLibrary: Sendable {
    public private(set) var materials: [String: MaterialConfig] = [:]
    /// Problems with files that could not be read (file: message).
    public private(set) var problems: [String] = []
    public let folders: [String]

    /// Loads every `*.json` in `folders` (earlier folders win on equal names).
    public init(folders: [String]) {
        self.folders = folders
        let fm = FileManager.default
        for folder in folders.reversed() {
            guard let names = try? fm.contentsOfDirectory(atPath: folder) else { continue }
            for file in names.sorted() where file.hasSuffix(".json") {
                let path = (folder as NSString).appendingPathComponent(file)
                guard let data = fm.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { continue }
                do {
                    let m = try MaterialConfig.parse(text, source: path)
                    materials[m.name] = m
                } catch {
                    problems.append("\(error)")
                }
            }
        }
    }

    /// The default search folders for a config at `configPath`: its own
    /// `material_paths`, `<dir>/materials`, `<dir>/../materials`, `$IONICS_MATERIALS`,
    /// `./configs/materials`.
    public static func searchFolders(configPath: String?, extra: [String]) -> [String] {
        var folders: [String] = []
        if let configPath {
            let dir = (configPath as NSString).deletingLastPathComponent
            let base = dir.isEmpty ? "." : dir
            folders += extra.map { $0.hasPrefix("/") ? $0 : (base as NSString).appendingPathComponent($0) }
            folders += [(base as NSString).appendingPathComponent("materials"), (base as NSString).appendingPathComponent("../materials")]
        } else {
            folders += extra
        }
        if let env = ProcessInfo.processInfo.environment["IONICS_MATERIALS"] {
            folders += env.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        folders.append("configs/materials")
        folders += installedFolders
        var seen: Set<String> = []
        return folders.filter { seen.insert(($0 as NSString).standardizingPath).inserted }
    }

    /// The materials installed with the executable (`make install PREFIX=…` puts them in
    /// `PREFIX/share/ionics/materials`, beside `PREFIX/bin/ionics`).
    public static var installedFolders: [String] {
        guard let exe = Bundle.main.executablePath else { return [] }
        let bin = (URL(fileURLWithPath: exe).resolvingSymlinksInPath().path as NSString).deletingLastPathComponent
        return [((bin as NSString).appendingPathComponent("../share/ionics/materials") as NSString).standardizingPath]
    }

    public subscript(name: String) -> MaterialConfig? { materials[name] }
    public var names: [String] { materials.keys.sorted() }
}
