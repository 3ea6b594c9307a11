import IonicsPhysics

// The precomputed records of the discretisation's faces: what `PNPDiscretisation.init`
// reads once from the problem's laws (interface and contact laws, bulk data) and the
// assembly kernels use on every pass without asking a law anything.

extension PNPDiscretisation {
    // Semiconductor carriers (`Electrons`) are in Laws/SemiconductorCarriers.swift.

    /// Potential of an electrode: prescribed, a terminal, or none (zero field).
    enum Source {
        case fixed(TimeFunction)
        case terminal(Int)
        case none
    }

    /// A species that crosses a continuity face.
    struct Link {
        var slotA: Int
        var slotB: Int
        var z: Double
        /// D̂_σ â_σ / d̂_σ (constant diffusivity).
        var g: Double
        /// â_σ/d̂_σ when D depends on the filling (a host), times the species' lateral
        /// factor on x-normal faces; 0 otherwise.
        var hostGeometry: Double
        /// (μ°_b − μ°_a)/RT.
        var dmu0: Double
    }

    /// A Butler–Volmer transfer across an electrode or semiconductor face.
    struct Reaction {
        /// Species slot on the electrolyte side.
        var slot: Int
        var species: Int
        /// Host cell receiving the intercalant, or −1 for a metal reservoir.
        var hostCell: Int
        var z: Double
        /// i0_ref·L0/(z F c0 D0): the scaled exchange rate.
        var rate: Double
        var alphaA: Double
        var alphaC: Double
        var cRef: Double
        var thetaRef: Double
        /// U0/V_T of a metal reservoir.
        var fixedU: Double
        var area: Double
        /// The overpotential dependence (Butler–Volmer, Marcus–Hush–Chidsey, …).
        var law: any TransferRateLaw
        /// ≥ 0 for a metal reservoir | neutral host transfer: the host cell (`hostCell`)
        /// gives or takes the ion itself, its electrons at this terminal.
        var hostTerminal: Int = -1
    }

    /// A species condition of an outer face, read once from its ``SpeciesContactLaw``:
    /// slot `slot` of the face's cell (species `species`) at `value(t)` (mol/m³ for a
    /// reservoir, mol/(m²·s) for an influx).
    struct BoundarySpecies {
        var slot: Int
        var species: Int
        var value: TimeFunction
    }

    /// An electrode face: a cell (with or without Poisson) against a metal or a
    /// neutral host.
    struct Electrode {
        var face: Int
        var cell: Int
        /// +1 if +y points from `cell` into the electrode.
        var direction: Double
        /// Half-cell â ε/d̂ (0 when the cell solves no Poisson or the field is zero).
        var g0: Double
        /// Ĉ_S·â, or ∞ without a Stern layer.
        var sternArea: Double
        /// Potential of zero charge, scaled (V/V_T).
        var pzc: Double = 0
        var source: Source
        var outer: Mesh.BoundarySide?
        var reactions: [Reaction]
        /// Species held at a fixed concentration on an outer face (``ReservoirContact``)
        /// and species flowing in at a prescribed rate (``InfluxContact``).
        var reservoirs: [BoundarySpecies] = []
        var influxes: [BoundarySpecies] = []
        /// Metal | neutral host contact: its double-layer capacitance Ĉ·â (0: none) and the
        /// host's electron terminal, the capacitor's other plate.
        var contact: Double = 0
        var contactHost: Int = -1
        /// The ohmic electron contact of a mixed-conducting host cell (``ElectronTransport``), if any.
        var electronContact: ElectronContact? = nil
        /// Series conductance g and the fraction θ_s = g/g0 of the drop outside the Stern layer.
        var g: Double { g0 == 0 ? 0 : 1 / (1 / g0 + 1 / sternArea) }
        var theta: Double { g0 == 0 ? 0 : g / g0 }
    }

    /// An electrolyte | semiconductor-host face: Poisson on both sides, a Stern layer between.
    struct SemiconductorFace {
        var face: Int
        var electrolyte: Int
        var host: Int
        /// â ε/d̂ of the electrolyte half-cell.
        var gE: Double
        var g: Double
        /// Potential of zero charge of the host against the electrolyte, scaled.
        var pzc: Double = 0
        var terminal: Int
        var reactions: [Reaction]
    }

    /// A face inside a mixed-conducting host (``ElectronTransport``): the intercalant's
    /// host link, drifted by the electron potential, and the electrons' own conduction.
    struct MixedFace {
        var link: Link
        /// Host layer (its D(θ), c_max and σ_e(θ)).
        var layer: Int
        /// â and the scaled centre–face distances d̂_a, d̂_b.
        var area: Double
        var dA: Double
        var dB: Double
    }

    /// An ohmic electron contact between a metal terminal and a mixed-conducting host
    /// cell: scaled conductance ``PNPDiscretisation/electronCurrentUnit``·â/(d̂/σ_e + R̂_c).
    struct ElectronContact {
        var terminal: Int
        var cell: Int
        var layer: Int
        var area: Double
        var d: Double
        /// R_c in Ω·m², constant or a law of the cell's filling.
        var resistance: ContactResistance
        /// 1/L0: R̂_c = R_c/L0 is in the units of d̂/σ_e.
        var inverseLength: Double
    }

    enum FaceKind {
        case continuity(links: [Link], poisson: Double)
        case mixed(MixedFace)
        case electrode(Electrode)
        case semiconductor(SemiconductorFace)
        case closed
    }
}
