import Foundation

extension Mesh {
    /// Face coordinates in x (m) over [0, `length`] for a 2D cross-section: every
    /// coordinate of `edges` inside (0, length) becomes a face, and each segment between
    /// neighbouring edges is meshed by `segment` (graded towards both of its ends, so
    /// cells are smallest at gate and contact edges, where the fields bend).
    public static func lateralFaces(length: Double, edges: [Double], segment: LayerMeshSpec) -> [Double] {
        lateralFaces(length: length, edges: edges) { _ in segment }
    }

    /// The same with each segment's own spec: `segment(k)` meshes the k-th segment of
    /// ``lateralBreaks(length:edges:)``.
    public static func lateralFaces(length: Double, edges: [Double], segment: (Int) -> LayerMeshSpec) -> [Double] {
        precondition(length > 0 && length.isFinite)
        let breaks = lateralBreaks(length: length, edges: edges)
        var x = [0.0]
        for (k, (a, b)) in zip(breaks, breaks.dropFirst()).enumerated() {
            var position = a
            let widths = segment(k).widths(thickness: b - a)
            for (k, w) in widths.enumerated() {
                position = k == widths.count - 1 ? b : position + w
                x.append(position)
            }
        }
        return x
    }

    /// The segment ends along [0, `length`]: 0, the edges inside (0, length) — those
    /// within 1e-9·length of another or of an end merged — and length.
    public static func lateralBreaks(length: Double, edges: [Double]) -> [Double] {
        let tolerance = 1e-9 * length
        var breaks = [0.0]
        for e in edges.sorted() where e > tolerance && e < length - tolerance && e - breaks.last! > tolerance {
            breaks.append(e)
        }
        breaks.append(length)
        return breaks
    }

    /// Renames the boundary faces tagged `name` whose centroid lies outside `cover`
    /// (in x) to `otherName`: an electrode that covers part of a side. Faces straddling
    /// an edge go by their centroid, so meshes for partial electrodes put faces on the
    /// electrode's edges (``lateralFaces(length:edges:segment:)``).
    public mutating func restrict(_ name: String, toX cover: ClosedRange<Double>, otherName: String) {
        guard let t = tag(named: name) else { return }
        var other = tag(named: otherName) ?? -1
        for f in faceTag.indices where faceTag[f] == t && !cover.contains(faceCentroid[f].x) {
            if other < 0 {
                tags.append(otherName)
                other = tags.count - 1
            }
            faceTag[f] = other
        }
    }

    /// Number of columns (x) and rows (y) of a tensor-product mesh; (1, cells) in 1D.
    public var gridShape: (nx: Int, ny: Int) {
        let nx = Swift.max(lateralFaces.count - 1, 1)
        return (nx, cellCount / nx)
    }
}
