import IonicsDiscretisation
import Testing

@Suite("Mesh cell counts without building the mesh")
struct MeshCountTests {
    @Test("cellCount equals the number of widths built, for every kind of spec")
    func countsAgree() throws {
        let specs: [LayerMeshSpec] = [
            LayerMeshSpec(maxCell: 5e-9, growth: 1.2, smallest: 1e-11),
            LayerMeshSpec(maxCell: 5e-9, growth: 1.2, smallest: 1e-11, grading: .start),
            LayerMeshSpec(maxCell: 5e-9, growth: 1.2, smallest: 1e-11, grading: .end),
            LayerMeshSpec(maxCell: 2e-9),
            LayerMeshSpec(maxCell: 1e-7, growth: 1.05, smallest: 3e-10),
            LayerMeshSpec(cells: 17, growth: 1.1),
            LayerMeshSpec(cells: 30, smallest: 1e-10),
            LayerMeshSpec.uniform(12),
            LayerMeshSpec(relativeFaces: [0, 0.1, 0.5, 1]),
            LayerMeshSpec(),
        ]
        for (k, spec) in specs.enumerated() {
            for t in [1e-9, 50e-9, 1e-6, 3e-4] {
                let n = try #require(spec.cellCount(thickness: t, limit: 10_000_000), "spec \(k), t \(t)")
                #expect(n == spec.widths(thickness: t).count, "spec \(k), t \(t)")
            }
        }
    }

    @Test("absurd layers are counted up to the limit and refused, without allocating or trapping")
    func absurd() {
        let tiny = LayerMeshSpec(maxCell: 1e-15)
        #expect(tiny.cellCount(thickness: 1e-6, limit: 1_000_000) == nil)
        #expect(tiny.cellCount(thickness: 1e9, limit: 1_000_000) == nil)
        #expect(LayerMeshSpec.uniform(2_000_000).cellCount(thickness: 1e-6, limit: 1_000_000) == nil)
        // A graded mesh over 1e9 m with a sub-nanometre first cell stays small.
        let graded = LayerMeshSpec(maxCell: 5e7, growth: 1.2, smallest: 1e-10)
        let n = graded.cellCount(thickness: 1e9, limit: 1_000_000)
        #expect(n != nil && n! < 1000)
        #expect(graded.widths(thickness: 1e9).count == n)
        for t in [0.0, -1, .nan, .infinity] { #expect(graded.cellCount(thickness: t, limit: 100) == nil) }
    }

    @Test("problem(thickness:) finds the meshes widths(thickness:) would refuse with a precondition")
    func problems() {
        #expect(LayerMeshSpec(relativeFaces: [0, 0.5, 1]).problem(thickness: 1e-6) == nil)
        #expect(LayerMeshSpec(relativeFaces: [0, 1e-300, 1]).problem(thickness: 1e-30) != nil, "a cell that underflows to zero width")
        #expect(LayerMeshSpec(relativeFaces: [0, 0.5, 0.5, 1]).problem(thickness: 1e-6) != nil)
        #expect(LayerMeshSpec(relativeFaces: [0.1, 1]).problem(thickness: 1e-6) != nil)
        #expect(LayerMeshSpec(maxCell: .nan).problem(thickness: 1e-6) != nil)
        #expect(LayerMeshSpec(cells: 10).problem(thickness: .infinity) != nil)
        #expect(LayerMeshSpec(maxCell: 1e-9, growth: 1.2, smallest: 1e-11).problem(thickness: 1e-6) == nil)
    }
}
