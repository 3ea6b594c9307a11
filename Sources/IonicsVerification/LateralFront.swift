import Foundation
import IonicsDiscretisation
import IonicsPhysics
import IonicsSolvers

/// A diffusion front moving along x: an uncharged species in a strip of thickness h
/// (y) and length W (x), fed at a constant flux J through its whole end x = 0 from
/// t = 0, closed everywhere else, with in-plane diffusivity D_x = f·D_y (f = 4).
/// Until the front nears x = W the strip is semi-infinite in x and the concentration
/// is uniform in y, the solution of c_t = D_x c_xx, −D_x c_x(0, t) = J (Carslaw &
/// Jaeger, Conduction of Heat in Solids, §2.9):
///
///     c(x, t) = c_b + (2J/D_x)·√(D_x t/π)·exp(−x²/(4 D_x t)) − (J x/D_x)·erfc(x/(2√(D_x t))).
///
/// How the feed enters: species conditions act only on the stack's ends ("first",
/// "last"); the lateral sides of a 2D mesh are closed by construction. In a
/// cell-centred finite-volume scheme an inflow J·a through a cell's boundary face of
/// area a and a volume source ∫s dV = J·a in that cell are the same discrete equation,
/// so the feed is the source J·Δy_j (per metre of depth) in each cell (0, j) of the
/// first column — the faces tagged "left" — with no new boundary kind.
///
/// Compared at x ≤ 4ℓ (ℓ = 2√(D_x t) ≤ 0.2 W), where the image of the closed far end
/// adds at most (J ℓ/D_x)·erfc((2W − 4ℓ)/ℓ) ~ 1e-17 of the front's height; errors
/// relative to that height c(0, t) − c_b.
public enum LateralFrontCase {
    struct Feed: ManufacturedSources {
        let flux: Double
        let mesh: Mesh
        func cellIntegrals(cell: Int, time: Double) -> (charge: Double, species: [Double]) {
            let nx = mesh.lateralFaces.count - 1
            return (0, [cell % nx == 0 ? flux * (mesh.cellUpperY[cell] - mesh.cellLowerY[cell]) : 0])
        }
    }

    public static func exact(x: Double, time t: Double, flux J: Double, diffusivity D: Double, background: Double) -> Double {
        let r = (D * t).squareRoot()
        return background + 2 * J / D * r / Double.pi.squareRoot() * exp(-x * x / (4 * r * r)) - J * x / D * erfc(x / (2 * r))
    }

    /// Largest error over the cells with x ≤ 4ℓ at each sample time, relative to the
    /// front's height; `smallest` the first lateral cell and `growth` the ratio of
    /// neighbouring lateral cells.
    public static func errors(smallest: Double = 2e-4, growth: Double = 1.02) throws -> (times: [Double], errors: [Double], cells: Int) {
        let (W, h) = (1e-6, 20e-9)
        let (D, f) = (1e-14, 4.0)
        let (J, cb) = (1e-7, 0.01)
        let layer = LayerPhysics(name: "strip", thickness: h, permittivity: 10, electrostatics: .none,
                                 species: [SpeciesInLayer(species: 0, diffusivity: D, initialConcentration: cb, lateralDiffusivityFactor: f)])
        var lateral = [0.0]
        var dx = smallest * W
        while lateral.last! < W {
            lateral.append(min(lateral.last! + dx, W))
            dx = min(dx * growth, 0.01 * W)
        }
        if W - lateral[lateral.count - 2] < 0.5 * dx { lateral.remove(at: lateral.count - 2) }
        let mesh = Mesh.tensorProduct(thicknesses: [h], specs: [LayerMeshSpec(cells: 3, growth: 1.5)], lateral: lateral)
        let problem = PNPProblem(species: [Species(name: "S", charge: 0)], layers: [layer],
                                 first: Boundary.closed, last: Boundary.closed,
                                 sources: Feed(flux: J, mesh: mesh))
        let Dx = f * D
        // ℓ = 2√(D_x t) from 0.05 W to 0.2 W.
        let times = [0.05, 0.1, 0.2].map { l in (l * W) * (l * W) / (4 * Dx) }
        // Concentrations in units of the last front height, ≈ J·0.2W/D_x.
        let scales = Scales(thermalVoltage: problem.thermalVoltage, concentration: 0.2 * J * W / Dx, length: W, diffusivity: Dx)
        let d = try PNPDiscretisation(problem: problem, mesh: mesh, scales: scales)
        var options = TimeIntegratorOptions()
        options.relativeTolerance = 1e-7
        options.absoluteDensity = 1e-9
        options.initialStep = 1e-9 * times[0]
        let integrator = TRBDF2Integrator(system: d, state: d.initialState(), time: 0, options: options)
        var errors: [Double] = []
        try integrator.advance(to: times.last!, breakpoints: times.map { Breakpoint($0, discontinuous: false) }) { record in
            guard record.kind == .step, times.contains(record.end) else { return }
            let t = record.end
            let c = d.concentration(record.after, species: 0)
            let height = exact(x: 0, time: t, flux: J, diffusivity: Dx, background: cb) - cb
            let reach = 8 * (Dx * t).squareRoot()
            var worst = 0.0
            for i in 0..<mesh.cellCount where mesh.cellCentroid[i].x <= reach {
                let e = exact(x: mesh.cellCentroid[i].x, time: t, flux: J, diffusivity: Dx, background: cb)
                worst = max(worst, abs(c[i] - e) / height)
            }
            errors.append(worst)
        }
        return (times, errors, mesh.cellCount)
    }

    public static func run() throws -> VerificationOutcome {
        let (times, errors, cells) = try errors()
        let name = "Lateral front, constant flux into x = 0, D_x = 4 D_y (\(cells) cells)"
        return VerificationOutcome(rows: zip(times, errors).enumerated().map { k, te in
            VerificationRow(caseName: name, quantity: "max abs(c − c_exact)/(c(0,t) − c_b) for x ≤ 4ℓ at ℓ = 2√(D_x t) = \([0.05, 0.1, 0.2][k]) W",
                            value: te.1, tolerance: 1e-3)
        })
    }
}
