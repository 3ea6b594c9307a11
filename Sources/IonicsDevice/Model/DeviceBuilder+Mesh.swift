import Foundation
import IonicsConfig
import IonicsDiscretisation
import IonicsPhysics
import IonicsUnits

extension DeviceBuilder {
    /// Debye length of an electrolyte layer from its mobile ions (fixed charge does not screen).
    static func debyeLength(_ sp: [SpeciesInLayer], species: [Species], fixed: Double, eps: Double, T: Double) -> Double {
        let ionic = sp.reduce(0.0) { $0 + Double(species[$1.species].charge * species[$1.species].charge) * $1.initialConcentration }
        guard ionic > 0 else { return 1e-6 }
        let F = PhysicalConstants.faraday
        return (PhysicalConstants.vacuumPermittivity * eps * PhysicalConstants.gasConstant * T / (F * F * ionic)).squareRoot()
    }

    /// The mesh of a layer: the config's if given, otherwise graded towards both faces
    /// from `defaultSmallest` with growth 1.2 and at most 1/20 of the layer per cell
    /// (electrolytes) or 30 cells graded 1.1 (hosts, dielectrics). A problem (a tanh
    /// grading that cannot reach the requested smallest cell) is passed to `report`.
    static func meshSpec(
        _ l: LayerConfig, index: Int, defaultSmallest: Double, thickness: Double, kind: MaterialConfig.Kind,
        report: (String, String) -> Void
    ) -> LayerMeshSpec {
        guard l.meshGiven else {
            switch kind {
            case .electrolyte:
                return LayerMeshSpec(maxCell: thickness / 20, growth: 1.2, smallest: min(defaultSmallest, thickness / 40))
            default:
                return LayerMeshSpec(cells: 30, growth: 1.1)
            }
        }
        let m = l.mesh
        let toward: LayerMeshSpec.Grading = switch m.toward {
        case .both: .both
        case .first: .start
        case .last: .end
        }
        if let faces = m.faces {
            // The config's positions, with the layer's own faces added where left out.
            var interior = faces.filter { $0 > 0 && $0 < thickness * (1 - 1e-12) }
            interior = interior.map { $0 / thickness }
            return LayerMeshSpec(relativeFaces: [0] + interior + [1])
        }
        switch m.grading {
        case .uniform:
            // Clamped so that an absurd ratio stays an Int; the resource guard refuses it.
            let ratio = (thickness / (m.maxCell ?? thickness / 40)).rounded(.up)
            let n = m.cells ?? (ratio.isFinite ? max(1, Int(min(ratio, 1e15))) : Int(1e15))
            return .uniform(n)
        case .geometric:
            return LayerMeshSpec(cells: m.cells, maxCell: m.maxCell, growth: m.growth, smallest: m.smallest, grading: toward)
        case .tanh:
            let n = m.cells ?? 40
            var delta = m.stretch ?? 3
            if let s = m.smallest {
                if let d = TanhGrading.stretch(firstCell: s / thickness, cells: n, toward: m.toward) {
                    delta = d
                } else {
                    let o = m.origin("smallest", fallback: "layers[\(index)].mesh")
                    report(o.path, String(format: "%.6g m cannot be reached by a tanh grading of %d cells over %.6g m (the stretch would exceed %g)",
                                          s, n, thickness, TanhGrading.maximumStretch))
                }
            }
            return LayerMeshSpec(relativeFaces: TanhGrading.faces(cells: n, stretch: delta, toward: m.toward))
        }
    }
}

/// Face positions of a tanh stretching (Vinokur, J. Comput. Phys. 50, 215 (1983)) of
/// n uniform steps ξ_i = i/n on [0, 1], as fractions of the layer:
///
///     towards both faces:  x(ξ) = ½[1 + tanh(δ(2ξ − 1))/tanh δ] = sinh(2δξ) / (2 sinh δ cosh(δ(2ξ − 1)))
///     towards the first:   x(ξ) = 1 + tanh(δ(ξ − 1))/tanh δ     = sinh(δξ) / (sinh δ cosh(δ(1 − ξ)))
///     towards the last:    the mirror image of the first.
///
/// The sinh/cosh forms avoid the cancellation of 1 + tanh near the fine end, so first
/// cells of 1e-10 of the layer keep their relative accuracy. δ → 0 gives uniform cells.
enum TanhGrading {
    static let maximumStretch = 50.0

    static func position(_ xi: Double, stretch d: Double, toward: MeshSpec.Toward) -> Double {
        switch toward {
        case .both: return sinh(2 * d * xi) / (2 * sinh(d) * cosh(d * (2 * xi - 1)))
        case .first: return sinh(d * xi) / (sinh(d) * cosh(d * (1 - xi)))
        case .last: return 1 - position(1 - xi, stretch: d, toward: .first)
        }
    }

    /// Relative faces 0 = x_0 < x_1 < … < x_n = 1.
    static func faces(cells n: Int, stretch d: Double, toward: MeshSpec.Toward) -> [Double] {
        var x = (0...n).map { position(Double($0) / Double(n), stretch: d, toward: toward) }
        x[0] = 0
        x[n] = 1
        return x
    }

    /// Width of the finest cell, relative to the layer.
    static func firstCell(cells n: Int, stretch d: Double, toward: MeshSpec.Toward) -> Double {
        position(1 / Double(n), stretch: d, toward: toward == .last ? .first : toward)
    }

    /// The stretch δ whose finest cell is `target` (relative), by bisection in ln δ
    /// (the first cell falls monotonically from 1/n at δ → 0); nil when out of reach.
    static func stretch(firstCell target: Double, cells n: Int, toward: MeshSpec.Toward) -> Double? {
        guard target > 0, target < 1 / Double(n) else { return nil }
        var lo = log(1e-6)
        var hi = log(maximumStretch)
        guard firstCell(cells: n, stretch: maximumStretch, toward: toward) <= target else { return nil }
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if firstCell(cells: n, stretch: exp(mid), toward: toward) > target { lo = mid } else { hi = mid }
            if hi - lo < 1e-14 { break }
        }
        return exp(0.5 * (lo + hi))
    }
}
