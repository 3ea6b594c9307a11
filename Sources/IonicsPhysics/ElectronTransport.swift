public import Foundation

/// Electron transport through a neutral mixed-conducting host (an ion-inserting film
/// that is also an electronic conductor, e.g. LixCoO2 between two metals).
///
/// Instead of sitting at one terminal's potential, the film's electrons get a
/// quasi-Fermi potential φ_n per cell (V, the potential a metal probe in equilibrium
/// with them would read). The ion and the electron currents are then
///
///     j_i = −σ_i ∇(μ̃_i/zF),   μ̃_i = −zF·U(θ) + zF·φ_n,   σ_i = z²F² D(θ) c/RT,
///     j_e = −σ_e(θ) ∇φ_n,
///
/// with ∂c/∂t = −∇·(j_i/zF) and, the film being electroneutral, ∇·(j_i + j_e) = 0
/// (Riess, Solid State Ionics 157, 1 (2003); Maier, *Physical Chemistry of Ionic
/// Materials*, Wiley 2004, ch. 6 — the Hebb–Wagner picture). In the discretisation the
/// ion flux is the host's Scharfetter–Gummel flux with z·φ_n as its field term, so that
/// an electron-potential gradient drifts the ions; σ_e(θ) is the film's conductivity
/// law (the readout's table).
///
/// At a metal face the electrons pass through an ohmic contact: j_e = (V − φ_n)/(d/σ_e
/// + R_c), with d the distance from the cell centre to the face and R_c an areal contact
/// resistance (Ω·m²), constant or a law R_c(θ) of the filling of the film cell at the
/// contact (``ContactResistance``); a face without a contact (``firstContact`` or
/// ``lastContact`` nil) blocks electrons. An ion transfer at a metal face (metal | host transfer)
/// takes its electrons from the film's φ_n at that face instead of a far terminal.
public struct ElectronTransport: Sendable {
    /// ln σ_e(θ), σ_e in S/m, at the problem's temperature.
    public var logConductivity: MonotoneTable
    /// R_c of the electron contact at the layer's first (toward the first boundary) and
    /// last face; nil: that face blocks electrons.
    public var firstContact: ContactResistance?
    public var lastContact: ContactResistance?

    public init(logConductivity: MonotoneTable, firstContact: ContactResistance?, lastContact: ContactResistance?) {
        self.logConductivity = logConductivity
        self.firstContact = firstContact
        self.lastContact = lastContact
    }

    /// σ_e(θ) in S/m and dσ_e/dθ.
    @inlinable
    public func conductivity(_ theta: Double) -> (value: Double, derivative: Double) {
        let (l, dl) = logConductivity.evaluate(theta)
        let s = exp(l)
        return (s, s * dl)
    }

    /// Problems of the law on a layer `layer` of a problem (used by ``PNPProblem/validate()``).
    func problems(in layer: LayerPhysics, isOuterOnBothSides: Bool) -> [String] {
        var p: [String] = []
        if !layer.isNeutralHost { p.append("electron transport needs a neutral host (no Poisson, one intercalant)") }
        if firstContact == nil && lastContact == nil { p.append("electron transport needs at least one electron contact") }
        for r in [firstContact, lastContact].compactMap({ $0 }) {
            switch r {
            case .constant(let v) where !(v >= 0 && v.isFinite):
                p.append("a contact resistance must be finite and not negative, got \(v)")
            case .filling(let t) where t.y.contains(where: { !$0.isFinite }):
                p.append("a contact resistance law R_c(θ) must be finite and positive")
            default: break
            }
        }
        if !isOuterOnBothSides { p.append("electron transport is for a film between two metals (the stack's only meshed layer)") }
        if logConductivity.y.contains(where: { !$0.isFinite }) { p.append("σ_e(θ) must be finite and positive") }
        return p
    }
}

/// The areal resistance R_c (Ω·m²) of an electron contact between a metal and a mixed
/// conductor.
///
/// `.filling` makes it a law of the filling θ of the film cell at the contact — the
/// contact of a film whose interface chemistry follows its ion content (e.g. a barrier
/// that the Li content of LixCoO2 at an Au contact raises or lowers). The table holds
/// ln R_c against θ (monotone cubic, end values held outside), as the conductivity
/// laws do; R_c = R_c(θ) is re-evaluated at every residual, with its θ derivative in the
/// Jacobian.
public enum ContactResistance: Sendable, Equatable {
    /// A fixed R_c, Ω·m² (0: ideal contact).
    case constant(Double)
    /// ln(R_c / Ω·m²) against θ of the contact cell.
    case filling(MonotoneTable)

    /// R_c in Ω·m² at filling θ and dR_c/dθ.
    @inlinable
    public func evaluate(_ theta: Double) -> (value: Double, derivative: Double) {
        switch self {
        case .constant(let r): return (r, 0)
        case .filling(let t):
            let (l, dl) = t.evaluate(theta)
            let r = exp(l)
            return (r, r * dl)
        }
    }
}
