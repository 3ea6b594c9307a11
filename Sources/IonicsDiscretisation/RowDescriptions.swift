import Foundation
import IonicsLinearAlgebra
import IonicsPhysics
import IonicsSolvers
import IonicsUnits

extension PNPDiscretisation {
    public func describe(row index: Int) -> String {
        if index >= layout.bandSize {
            let g = index - layout.bandSize
            if g < 2 * layout.circuitTerminals.count {
                let name = problem.terminals[layout.circuitTerminals[g / 2]]
                return g % 2 == 0 ? "potential of terminal \(name)" : "charge of terminal \(name)"
            }
            return "global unknown \(g - 2 * layout.circuitTerminals.count)"
        }
        let (cell, name) = locate(index)
        let c = mesh.cells[cell]
        let layer = problem.layers[c.layer].name
        let x = mesh.dimension == 2 ? String(format: ", x = %.4g µm", c.x * 1e6) : ""
        return "\(name) at cell \(cell) (layer \(layer), y = \(String(format: "%.4g", c.centre * 1e9)) nm\(x))"
    }

    public func equationName(row index: Int) -> String {
        if index >= layout.bandSize { return index - layout.bandSize < 2 * layout.circuitTerminals.count ? "terminal" : "global" }
        return locate(index).1
    }

    func locate(_ index: Int) -> (Int, String) {
        var lo = 0
        var hi = mesh.cellCount - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            let start = layout.potential[mid] >= 0 ? layout.potential[mid] : layout.firstSpecies[mid]
            if start <= index { lo = mid } else { hi = mid - 1 }
        }
        if layout.potential[lo] == index { return (lo, "Poisson") }
        if layout.electron[lo] == index { return (lo, "electron current") }
        let slot = index - layout.firstSpecies[lo]
        let sp = layout.layerSpecies[mesh.cellRegion[lo]][slot]
        return (lo, speciesNames[sp])
    }
}
