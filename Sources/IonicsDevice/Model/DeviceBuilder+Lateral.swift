import Foundation
import IonicsConfig
import IonicsDiscretisation

/// The 2D cross-section (`"dimension": 2`): x runs along the channel from the source
/// contact (x = 0, tag "left") to the drain contact (x = L, tag "right"), y through the
/// stack. Metals at the ends of the stack may cover part of the length (`lateral`:
/// offset and length); their electrode is then the part of the outer side below them,
/// and the rest of that side is closed (an insulating substrate or encapsulation: no
/// ion flux, no normal field).
extension DeviceBuilder {
    /// What a 2D config says about the lateral direction, checked.
    struct LateralPlan {
        /// Channel length L, m.
        var length: Double
        /// The lateral cells' spec for each segment between edges.
        var segment: LayerMeshSpec
        /// Edges of placed layers inside (0, L), m.
        var edges: [Double]
        /// Covers of the first and last outer sides, when a metal there is placed.
        var firstCover: ClosedRange<Double>?
        var lastCover: ClosedRange<Double>?
        var uniformCells: Int?

        /// The segments between neighbouring edges (the contacts and the placed
        /// electrodes' edges), m.
        var breaks: [Double] { Mesh.lateralBreaks(length: length, edges: edges) }

        /// Cells of a segment of `width` (m) under `uniformCells`: its share of the
        /// count, at least one, so that every edge stays a face.
        func uniformShare(_ width: Double) -> Int {
            max(1, Int((Double(uniformCells ?? 1) * width / length).rounded()))
        }

        /// Number of lateral cells, without building them (nil: more than `limit`).
        func cellCount(limit: Int) -> Int? {
            var total = 0
            for (a, b) in zip(breaks, breaks.dropFirst()) {
                if uniformCells != nil {
                    total += uniformShare(b - a)
                } else {
                    guard let n = segment.cellCount(thickness: b - a, limit: limit) else { return nil }
                    total += n
                }
                if total > limit { return nil }
            }
            return total
        }

        func faces() -> [Double] {
            guard uniformCells != nil else { return Mesh.lateralFaces(length: length, edges: edges, segment: segment) }
            let b = breaks
            return Mesh.lateralFaces(length: length, edges: edges) { k in .uniform(uniformShare(b[k + 1] - b[k])) }
        }
    }

    /// The lateral plan of a 2D config (nil in 1D, or when the config's lateral part has
    /// problems, which are reported).
    static func lateralPlan(
        _ config: DeviceConfig, materials mats: [MaterialConfig], meshed: [Int], firstMetal: Int?, lastMetal: Int?,
        report: (String, String) -> Void
    ) -> LateralPlan? {
        guard config.dimension == 2 else { return nil }
        guard let g = config.geometry else {
            report("geometry", "missing (a 2D cross-section needs the channel length L, from source to drain, and its width W, the depth)")
            return nil
        }
        let L = g.length
        var ok = true
        for i in meshed where config.layers[i].placement != nil {
            report(config.layers[i].placement!.path, "only a metal at an end of the stack (an electrode) can cover part of the channel; \(mats[i].kind.rawValue) layers span its whole length")
            ok = false
        }
        var covers: [Int: ClosedRange<Double>] = [:]
        for m in [firstMetal, lastMetal].compactMap({ $0 }) {
            guard let p = config.layers[m].placement else { continue }
            if p.end > L * (1 + 1e-12) {
                report(p.path, String(format: "the layer ends at %.6g m, beyond the channel length %.6g m (geometry.length)", p.end, L))
                ok = false
            }
            // (A layer starting at or past L also ends past it: reported just above.)
            guard p.offset < L else { continue }
            covers[m] = p.offset...min(p.end, L)
            // Edges closer than the mesh can resolve merge: refuse an electrode that would
            // lose its faces rather than run a device without its gate.
            if p.length < 1e-6 * L {
                report(p.path, String(format: "the electrode covers %.3g m, less than 1e-6 of the channel length (%.6g m): too small to mesh", p.length, L))
                ok = false
            }
        }
        if config.readout.given && config.readout.mode == "vertical" {
            report("readout.mode", "\"vertical\" reads through a 1D stack; a 2D cross-section reads \"lateral\" (source to drain through the 2D field) or \"ionic\"")
            ok = false
        }
        guard ok else { return nil }
        let c = config.lateral
        let smallest = c.smallest ?? L / 400
        let largest = max(c.maxCell ?? L / 40, smallest)
        var plan = LateralPlan(
            length: L, segment: LayerMeshSpec(maxCell: largest, growth: c.growth, smallest: smallest, grading: .both),
            edges: covers.values.flatMap { [$0.lowerBound, $0.upperBound] },
            firstCover: firstMetal.flatMap { covers[$0] }, lastCover: lastMetal.flatMap { covers[$0] })
        plan.uniformCells = c.cells
        return plan
    }

    /// The mesh: the 1D stack, or its tensor product with the lateral faces, with the
    /// outer sides restricted to the placed electrodes.
    static func buildMesh(thicknesses: [Double], specs: [LayerMeshSpec], lateral: LateralPlan?) -> Mesh {
        guard let lateral else { return Mesh.stack(thicknesses: thicknesses, specs: specs) }
        var mesh = Mesh.tensorProduct(thicknesses: thicknesses, specs: specs, lateral: lateral.faces())
        if let c = lateral.firstCover { mesh.restrict("first", toX: c, otherName: "first-closed") }
        if let c = lateral.lastCover { mesh.restrict("last", toX: c, otherName: "last-closed") }
        return mesh
    }
}
