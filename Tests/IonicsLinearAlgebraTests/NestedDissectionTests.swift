import Foundation
import IonicsLinearAlgebra
import IonicsTestSupport
import Testing

/// The nested-dissection ordering is a permutation that keeps the border last and puts
/// a separator after the pieces it separates, and KLU factors with it to the same
/// solutions as with its own AMD ordering.
@Suite("Nested-dissection ordering for KLU")
struct NestedDissectionTests {
    /// A grid pattern with three unknowns per node (all coupled, as a cell's φ and two
    /// concentrations) and two border unknowns.
    func blockGrid(nx: Int, ny: Int) -> SparsityPattern {
        let cells = nx * ny
        let n = 3 * cells
        let rows: [[Int]] = (0..<(n + 2)).map { r in
            if r >= n { return Array(0..<(n + 2)) }
            let c = r / 3
            let (i, j) = (c % nx, c / nx)
            var nodes = [c]
            if i > 0 { nodes.append(c - 1) }
            if i < nx - 1 { nodes.append(c + 1) }
            if j > 0 { nodes.append(c - nx) }
            if j < ny - 1 { nodes.append(c + nx) }
            return nodes.flatMap { [3 * $0, 3 * $0 + 1, 3 * $0 + 2] } + [n, n + 1]
        }
        return SparsityPattern(size: n + 2, borderCount: 2, rows: rows)
    }

    @Test("a permutation, cells kept together, the border last", arguments: [(1, 1), (7, 3), (40, 25), (3, 200)])
    func permutation(_ size: (Int, Int)) {
        let p = blockGrid(nx: size.0, ny: size.1)
        let order = NestedDissection.order(p, leafSize: 8).map(Int.init)
        #expect(order.sorted() == Array(0..<p.size))
        #expect(order.suffix(2) == [p.size - 2, p.size - 1])
        for k in stride(from: 0, to: p.size - 2, by: 3) {
            #expect(order[k] % 3 == 0 && order[k + 1] == order[k] + 1 && order[k + 2] == order[k] + 2)
        }
    }

    @Test("the last cells numbered before the border separate the grid")
    func separator() {
        let (nx, ny) = (30, 30)
        let p = gridPattern(nx: nx, ny: ny, border: 0)
        let order = NestedDissection.order(p, leafSize: 16).map(Int.init)
        // Remove the top separator (the last nodes whose removal disconnects the rest):
        // the first half of the ordering and the part before the separator's start never touch.
        var position = [Int](repeating: 0, count: order.count)
        for (k, v) in order.enumerated() { position[v] = k }
        // The top-level separator is a contiguous tail; find where it starts by growing the
        // tail until the head splits into pieces that are not adjacent across it.
        let n = nx * ny
        var tail = 1
        func split(_ t: Int) -> Bool {
            // Components of the head (positions < n − t).
            var component = [Int](repeating: -1, count: n)
            var count = 0
            for s in 0..<(n - t) where component[order[s]] < 0 {
                var queue = [order[s]]
                component[order[s]] = count
                while let v = queue.popLast() {
                    for q in Int(p.rowStart[v])..<Int(p.rowStart[v + 1]) {
                        let w = Int(p.columns[q])
                        if position[w] < n - t && component[w] < 0 { component[w] = count; queue.append(w) }
                    }
                }
                count += 1
            }
            return count >= 2
        }
        while tail < n / 2 && !split(tail) { tail += 1 }
        #expect(tail < 3 * nx / 2, "top separator of \(tail) nodes on a \(nx) × \(ny) grid")
    }

    @Test("KLU with the nested-dissection ordering solves as KLU with AMD (to 1e-12)")
    func solves() throws {
        let p = blockGrid(nx: 23, ny: 17)
        let m = randomMatrix(p, seed: 9)
        let b = (0..<p.size).map { Double($0 % 7) - 3 }
        var solutions: [[Double]] = []
        for ordering in KLUSolver.Ordering.allCases {
            let solver = try KLUSolver(pattern: p, ordering: ordering)
            try solver.factor(m)
            var x = b
            solver.solve(&x)
            #expect(relativeResidual(m, x, b) < 1e-12, "\(ordering)")
            solutions.append(x)
        }
        #expect(normwiseRelativeError(solutions[1], solutions[0]) < 1e-10)
    }
}
