import Foundation
public import IonicsDiscretisation
import IonicsPhysics
import IonicsUnits

/// Reads the channel conductance (the synaptic weight) from a state.
///
/// - lateral (three-terminal): G = (W/L) Σ_i σ(θ_i)·Δy_i over the channel cells, σ from
///   the material's table (log-interpolated, monotone), or σ = e(μ_n(θ) n + μ_p(θ) p) for
///   a semiconductor channel (p = 0 without a valence band); in a 2D cross-section, G = W·G′ with G′ the conductance per
///   metre of depth between the channel's ends (x = 0 and x = L) from the steady
///   current problem ∇·(σ(x, y)∇ψ) = 0 over the channel (``ElectronicConduction``),
///   which equals the 1D sum for a laterally uniform channel;
/// - vertical (two-terminal through the stack): G = A / Σ_i Δy_i/σ_i (+ the contact
///   resistances R_c(θ) of a film with electron transport);
/// - ionic: the terminal current at the read voltage (taken by the runner), not here.
public final class ConductanceReader: @unchecked Sendable {
    public let device: Device
    public let discretisation: PNPDiscretisation
    let cells: Range<Int>
    /// How many cell evaluations fell outside a table's filling range (the end value
    /// was held); reported with the results.
    public private(set) var extrapolations = 0
    /// The 2D channel's conductor, set up at the first 2D read.
    var path: ElectronicConduction.Path?

    public init(device: Device, discretisation: PNPDiscretisation) {
        self.device = device
        self.discretisation = discretisation
        cells = device.readout.channelLayer.map { discretisation.mesh.cells(inLayer: $0) } ?? 0..<0
    }

    /// Local conductivity of each channel cell, S/m (NaN elsewhere).
    /// `time` (s) and `drives` as for ``PNPDiscretisation/electronDensity(_:time:drives:)``.
    public func conductivity(_ u: [Double], time: Double = 0, drives: Drives? = nil) -> [Double] {
        var sigma = [Double](repeating: .nan, count: discretisation.mesh.cellCount)
        let theta = discretisation.filling(u)
        let r = device.readout
        if let table = r.logConductivity {
            for i in cells {
                if table.isOutside(theta[i]) { extrapolations += 1 }
                sigma[i] = exp(table.value(theta[i]))
            }
        } else if let table = r.logMobility {
            let n = discretisation.electronDensity(u, time: time, drives: drives)
            let p = r.logHoleMobility.map { _ in discretisation.holeDensity(u, time: time, drives: drives) }
            for i in cells {
                if table.isOutside(theta[i]) { extrapolations += 1 }
                sigma[i] = PhysicalConstants.elementaryCharge * exp(table.value(theta[i])) * n[i]
                if let p, let holes = r.logHoleMobility {
                    sigma[i] += PhysicalConstants.elementaryCharge * exp(holes.value(theta[i])) * p[i]
                }
            }
        }
        return sigma
    }

    /// G in siemens (NaN for the ionic mode, which the runner measures).
    public func conductance(_ u: [Double], time: Double = 0, drives: Drives? = nil) -> Double {
        let r = device.readout
        guard r.mode == .lateral || r.mode == .vertical, !cells.isEmpty else { return .nan }
        let sigma = conductivity(u, time: time, drives: drives)
        let mesh = discretisation.mesh
        switch r.mode {
        case .lateral where mesh.dimension == 2:
            return lateralConductance2D(sigma)
        case .lateral:
            var sheet = 0.0
            for i in cells { sheet += sigma[i] * mesh.cellVolume[i] }
            return r.widthOverLength * sheet
        case .vertical:
            var resistance = 0.0
            for i in cells { resistance += mesh.cellVolume[i] / sigma[i] }
            // A film with electron transport is read through its electron contacts too.
            // (Through a contact that blocks electrons nothing can be read: G = 0.)
            // A contact law R_c(θ) is taken at the filling of the film cell it touches
            // (1D: the layer's first and last cells).
            if let c = r.channelLayer, let e = device.problem.layers[c].electronTransport {
                guard let first = e.firstContact, let last = e.lastContact else { return 0 }
                resistance += first.evaluate(discretisation.filling(u, cell: cells.lowerBound)).value
                    + last.evaluate(discretisation.filling(u, cell: cells.upperBound - 1)).value
            }
            return device.area / resistance
        case .ionic, .off:
            return .nan
        }
    }

    /// G = W·G′ of a 2D channel: the source contact is the channel's side at x = 0
    /// (tag "left"), the drain its side at x = L ("right"). A channel that conducts
    /// nowhere between them reads 0. The conductor's pattern and solver analysis are
    /// kept from read to read (the runner reads after every step) and rebuilt only when
    /// the set of conducting cells changes.
    func lateralConductance2D(_ sigma: [Double]) -> Double {
        let conducting = sigma.map { $0.isFinite && $0 > 0 }
        do {
            if path?.conducting != conducting {
                path = nil
                path = try ElectronicConduction.Path(mesh: discretisation.mesh, conducting: conducting, source: "left", drain: "right")
            }
            return try path!.conductance(sigma) * device.extent
        } catch ElectronicConduction.Failure.noContact {
            return 0
        } catch {
            return .nan
        }
    }
}
