public import IonicsPhysics

/// Why a bulk law cannot be evaluated at a state.
public enum BulkLawError: Error, Sendable {
    /// The ions fill the whole volume (Bikerman: a³N_AΣc ≥ 1).
    case overpacked
    /// A host's filling left (0, 1).
    case fillingOutOfRange(Double)
}

/// The excess chemical potential μ_ex/RT of a layer's mobile species as a function of
/// the cell's concentrations (scaled by c0): what makes a layer an ideal solution, a
/// crowded electrolyte or a host lattice. It enters the Scharfetter–Gummel flux through
/// the Bernoulli argument (the excess-potential scheme, Fuhrmann, Comput. Phys. Commun.
/// 196, 166 (2015)) and the Boltzmann rows of the equilibrium solve.
///
/// A new law is a type conforming to this protocol in `Laws/Bulk/` and one line in
/// ``BulkLaws/law(for:species:scales:)``.
public protocol BulkLaw: Sendable {
    /// Writes μ̂_ex of slot s into `mu[s]` and ∂μ̂_s/∂ĉ_s′ into `dmu[s·n + s′]` for the
    /// `n` concentrations `c[0..<n]`.
    func excess(_ c: UnsafePointer<Double>, count n: Int, mu: UnsafeMutablePointer<Double>, dmu: UnsafeMutablePointer<Double>)
        throws(BulkLawError)
    /// μ̂_ex of a reservoir holding the concentrations `c` (a boundary face's far side).
    func reservoirExcess(_ c: [Double]) -> Double
}

/// The registry: the bulk law of each layer of a problem.
public enum BulkLaws {
    /// The law of `layer` (host lattice, Bikerman lattice gas or ideal solution), with
    /// `charge` the intercalant's valence for hosts and `scales` the problem's scales.
    public static func law(for layer: LayerPhysics, charge: Double, scales: Scales) -> any BulkLaw {
        if let h = layer.host { return HostLattice(host: h, charge: charge, scales: scales) }
        if let a = layer.stericSize { return BikermanLattice(ionSize: a, scales: scales) }
        return IdealSolution()
    }
}
