import IonicsDiscretisation
import Testing

@Suite("Meshes")
struct MeshTests {
    @Test("layer widths add up to the thickness and honour smallest, growth and max cell")
    func widths() {
        let t = 100e-9
        let graded = LayerMeshSpec(cells: 50, smallest: 0.1e-9).widths(thickness: t)
        #expect(graded.count == 50)
        #expect(abs(graded.reduce(0, +) - t) < 1e-22)
        #expect(abs(graded.first! - 0.1e-9) < 1e-15 && abs(graded.last! - 0.1e-9) < 1e-15)

        let limited = LayerMeshSpec(maxCell: 5e-9, growth: 1.2, smallest: 0.05e-9).widths(thickness: t)
        #expect(abs(limited.reduce(0, +) - t) < 1e-22)
        #expect(limited.max()! <= 5e-9 * (1 + 1e-12))
        #expect(limited.first! <= 0.05e-9 * (1 + 1e-12))
        for (a, b) in zip(limited, limited.dropFirst()) {
            #expect(max(a / b, b / a) <= 1.2 * (1 + 1e-12))
        }

        let start = LayerMeshSpec(cells: 20, growth: 1.1, grading: .start).widths(thickness: t)
        #expect(zip(start, start.dropFirst()).allSatisfy { $1 > $0 })
        #expect(abs(start[1] / start[0] - 1.1) < 1e-12)
    }

    @Test("layers meet at faces; faces know their cells and distances")
    func stack() {
        let mesh = Mesh.stack(thicknesses: [10e-9, 30e-9], specs: [.uniform(5), LayerMeshSpec(cells: 7, growth: 1.3)])
        #expect(mesh.cellCount == 12)
        #expect(mesh.faces.count == 13)
        #expect(mesh.layerBounds == [0, 10e-9, 40e-9])
        #expect(mesh.faces[5].position == 10e-9)
        #expect(mesh.cells[4].layer == 0 && mesh.cells[5].layer == 1)
        #expect(mesh.faces.first!.boundary == .first && mesh.faces.last!.boundary == .last)
        for f in mesh.faces {
            #expect(abs(f.distanceA - abs(f.position - mesh.cells[f.a].centre)) < 1e-20)
            if let b = f.b { #expect(abs(f.distanceB - abs(mesh.cells[b].centre - f.position)) < 1e-20) }
        }
        #expect(mesh.cells(inLayer: 1) == 5..<12)
    }
}
