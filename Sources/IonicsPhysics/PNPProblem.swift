import IonicsUnits

/// Volume sources that make a manufactured solution exact: the cell integrals of
/// s_φ (C/m³, added to the charge density) and s_k (mol/(m³·s), added to
/// ∂c_k/∂t + ∇·J_k = s_k), per unit of the cell's cross-section.
public protocol ManufacturedSources: Sendable {
    /// (∫ s_φ dV, [∫ s_k dV]) over `cell` at time `t` (SI; per m² of area in 1D).
    func cellIntegrals(cell: Int, time: Double) -> (charge: Double, species: [Double])
}

/// The Poisson–Nernst–Planck problem on a 1D stack of layers, in SI units:
///
///     ∂c_k/∂t + ∇·J_k = 0,   J_k = −D_k c_k ∇(ln c_k + z_k φ/V_T + μ_ex/RT + μ°_k/RT)
///     −∇·(ε0 εr ∇φ) = F Σ_k z_k c_k + ρ_fix
///
/// with the boundary conditions at the two outer faces. Layers are listed from the
/// first (left, y = 0) to the last.
public struct PNPProblem: Sendable {
    public var species: [Species]
    public var layers: [LayerPhysics]
    public var first: Boundary
    public var last: Boundary
    /// Temperature, K.
    public var temperature: Double
    public var sources: (any ManufacturedSources)?
    /// Laws at the layer interfaces: `interfaces[i]` is between layers i and i + 1
    /// (continuity when the array is shorter).
    public var interfaces: [any InterfaceLaw]
    /// Names of the terminals that boundaries and hosts refer to by index.
    public var terminals: [String]
    /// Electronic paths between terminals beside the ions (``ElectronicLeak``).
    public var leakages: [ElectronicLeak] = []

    public init(
        species: [Species], layers: [LayerPhysics], first: Boundary, last: Boundary, temperature: Double = 298.15,
        sources: (any ManufacturedSources)? = nil, interfaces: [any InterfaceLaw] = [], terminals: [String] = []
    ) {
        self.species = species
        self.layers = layers
        self.first = first
        self.last = last
        self.temperature = temperature
        self.sources = sources
        self.interfaces = interfaces
        self.terminals = terminals
    }

    /// The law between layers i and i + 1.
    public func interface(_ i: Int) -> any InterfaceLaw { i < interfaces.count ? interfaces[i] : ContinuityInterface() }

    /// Thermal voltage RT/F, V.
    public var thermalVoltage: Double { PhysicalConstants.thermalVoltage(kelvin: temperature) }

    /// Debye length of a symmetric z:z electrolyte of concentration c (mol/m³) in a
    /// medium of relative permittivity εr: λ_D = √(ε0 εr RT / (2 z² F² c)), m.
    public static func debyeLength(concentration c: Double, permittivity er: Double, temperature: Double, charge z: Int = 1) -> Double {
        let F = PhysicalConstants.faraday
        return (PhysicalConstants.vacuumPermittivity * er * PhysicalConstants.gasConstant * temperature
            / (2 * Double(z * z) * F * F * c)).squareRoot()
    }

    /// Total thickness, m.
    public var thickness: Double { layers.reduce(0) { $0 + $1.thickness } }

    /// Problems with the description that would make the equations ill posed.
    public func validate() -> [String] {
        var problems: [String] = []
        if layers.isEmpty { problems.append("the stack has no layers") }
        if temperature <= 0 { problems.append("temperature must be positive") }
        for (k, leak) in leakages.enumerated() {
            if !terminals.indices.contains(leak.from) || !terminals.indices.contains(leak.to) || leak.from == leak.to {
                problems.append("leakages[\(k)]: needs two different terminals")
            }
            if !(leak.conductance >= 0 && leak.conductance.isFinite) { problems.append("leakages[\(k)]: conductance must be finite and ≥ 0") }
        }
        for (i, l) in layers.enumerated() {
            let at = "layers[\(i)] (\(l.name))"
            if !(l.thickness > 0) { problems.append("\(at): thickness must be positive") }
            if !(l.permittivity > 0) { problems.append("\(at): permittivity must be positive") }
            for s in l.species {
                if s.species < 0 || s.species >= species.count { problems.append("\(at): unknown species index \(s.species)") }
                if !(s.diffusivity > 0) { problems.append("\(at): diffusivity must be positive") }
                if !(s.initialConcentration >= 0) { problems.append("\(at): initial concentrations must not be negative") }
                if !(s.lateralDiffusivityFactor > 0 && s.lateralDiffusivityFactor.isFinite) {
                    problems.append("\(at): the lateral diffusivity factor must be finite and positive")
                }
            }
            if Set(l.species.map(\.species)).count != l.species.count { problems.append("\(at): a species is listed twice") }
            if let a = l.stericSize {
                let v = a * a * a * PhysicalConstants.avogadro
                let filled = v * l.species.reduce(0) { $0 + $1.initialConcentration }
                if !(a > 0) { problems.append("\(at): ion size must be positive") }
                if filled >= 1 { problems.append("\(at): ions of size \(a) m fill more than the whole volume (a³N_AΣc = \(filled))") }
            }
            if let h = l.host {
                if l.species.count != 1 { problems.append("\(at): a host holds exactly one species (its intercalant)") }
                if !(h.maximumConcentration > 0) { problems.append("\(at): c_max must be positive") }
                let z = Double(l.species.first.map { species[$0.species].charge } ?? 1)
                problems += h.openCircuit.validate(temperature: temperature, charge: z == 0 ? 1 : z).map { "\(at): \($0)" }
                if h.diffusivity.y.contains(where: { !($0 > 0) }) { problems.append("\(at): D(θ) must be positive") }
                for s in l.species where s.initialConcentration >= h.maximumConcentration {
                    problems.append("\(at): the initial filling must be below 1")
                }
                if l.stericSize != nil { problems.append("\(at): a host has no steric size (its U(θ) bounds the filling)") }
            }
            if let sc = l.semiconductor {
                if l.electrostatics != .poisson { problems.append("\(at): a semiconductor solves Poisson") }
                if sc.terminal < 0 || sc.terminal >= terminals.count { problems.append("\(at): unknown terminal \(sc.terminal)") }
                if !(sc.effectiveDensity > 0) { problems.append("\(at): N_c must be positive") }
                if let h = sc.holes {
                    if !(h.effectiveDensity > 0) { problems.append("\(at): N_v must be positive") }
                    if !(h.bandGap > 0) { problems.append("\(at): the band gap must be positive") }
                }
            }
            if let e = l.electronTransport {
                problems += e.problems(in: l, isOuterOnBothSides: layers.count == 1).map { "\(at): \($0)" }
            }
            if l.isNeutralHost {
                if let t = l.electronTerminal, t < 0 || t >= terminals.count { problems.append("\(at): unknown terminal \(t)") }
            } else if l.electrostatics == .none && l.host == nil && i > 0 && layers[i - 1].electrostatics == .poisson {
                problems.append("\(at): a layer without electrostatics next to one with Poisson must be a host")
            }
            if i > 0 {
                let a = layers[i - 1]
                problems += interface(i - 1).problems(between: a, and: l)
            }
        }
        for (side, b) in [("first", first), ("last", last)] {
            let layer = side == "first" ? layers.first : layers.last
            for (k, _) in b.species where layer?.slot(of: k) == nil {
                problems.append("\(side) boundary: species \(k) is not present in the adjacent layer")
            }
            if !ContactLaws.isRegistered(b.potential) {
                problems.append("\(side) boundary: the contact law \(type(of: b.potential)) is not registered in ContactLaws")
            }
            problems += b.potential.problems(terminalCount: terminals.count).map { "\(side) boundary: \($0)" }
            for k in b.species.keys.sorted() {
                let law = b.species[k]!
                if !ContactLaws.isRegistered(law) {
                    problems.append("\(side) boundary: the contact law \(type(of: law)) is not registered in ContactLaws")
                }
                problems += law.problems(with: b.potential).map { "\(side) boundary: \($0)" }
            }
        }
        return problems
    }
}
