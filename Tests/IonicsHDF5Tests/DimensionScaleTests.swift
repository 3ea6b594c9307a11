import Foundation
import IonicsHDF5
import IonicsTestSupport
import Testing

@Suite("HDF5 dimension scales and integer data")
struct DimensionScaleTests {
    @Test("scales attach to the axes of fixed and appendable datasets and read back by path and name")
    func scales() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("scales.h5")
        do {
            let file = try HDF5File.create(at: path)
            let g = try file.root().createGroup("fields")
            let time = try g.createAppendable("time")
            try time.makeDimensionScale("time")
            let y = try g.write("y", [0, 1, 2])
            try y.makeDimensionScale("y")
            let potential = try g.createAppendable("potential", rowShape: [3])
            try potential.attachScale(time, axis: 0)
            try potential.attachScale(y, axis: 1)
            try time.append(0.5)
            try potential.append([1, 2, 3])
            try file.commit()
        }
        let g = try HDF5File.open(at: path).root().openGroup("fields")
        let potential = try g.openDataset("potential")
        #expect(try potential.attachedScales(axis: 0) == ["/fields/time"])
        #expect(try potential.attachedScales(axis: 1) == ["/fields/y"])
        #expect(try g.openDataset("time").isDimensionScale())
        #expect(try g.openDataset("y").dimensionScaleName() == "y")
        #expect(try !potential.isDimensionScale())
        #expect(try potential.dimensionScaleName() == nil)
        #expect(try potential.isAppendable())
        #expect(try !g.openDataset("y").isAppendable())
        #expect(try g.openDataset("time").stringAttribute("CLASS") == "DIMENSION_SCALE")
    }

    @Test("integer datasets are stored as integers, appended as Doubles, and read back exactly")
    func integers() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("ints.h5")
        do {
            let file = try HDF5File.create(at: path)
            let root = try file.root()
            try root.write("index", [0, 1, 2, -1], type: .int64)
            let kind = try root.createAppendable("kind", type: .int64)
            try kind.append(rows: [3, 4, 0], count: 3)
            try root.write("x", [0.5])
            try kind.setAttribute("flag_values", [0, 1, 2, 3, 4])
            try file.commit()
        }
        let root = try HDF5File.open(at: path).root()
        #expect(try root.openDataset("index").elementClass() == .integer)
        #expect(try root.openDataset("kind").elementClass() == .integer)
        #expect(try root.openDataset("x").elementClass() == .float)
        #expect(try root.read("index").values == [0, 1, 2, -1])
        #expect(try root.read("kind").values == [3, 4, 0])
        #expect(try root.openDataset("kind").attribute("flag_values") == .ints([0, 1, 2, 3, 4]))
    }
}
